import CalltrailAudio
import Foundation
import Testing

/// GSM → MP3 through libgsm and libmp3lame, checked by a decoder that is not ours (mpg123).
@Suite struct TranscoderTests {
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-audio-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// mpg123's decode of an MP3 as 16-bit mono samples.
    func decodeWithMpg123(_ mp3: URL) throws -> [Int16] {
        let raw = folder.appendingPathComponent(UUID().uuidString + ".raw")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mpg123", "-q", "-m", "-e", "s16", "-O", raw.path, mp3.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "mpg123 failed")
        let data = try Data(contentsOf: raw)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    func gsmDecode(_ url: URL) throws -> [Int16] {
        let data = try Data(contentsOf: url)
        var pcm: [Int16] = []
        _ = try Transcoder.decode(data, format: AudioFormat.sniff(data)) { chunk, _ in pcm.append(contentsOf: chunk) }
        return pcm
    }

    /// The best normalized cross-correlation within ±`maxLag` samples.
    func correlation(_ a: [Int16], _ b: [Int16], maxLag: Int = 1200) -> Double {
        let n = min(a.count, b.count) - maxLag
        var best = -1.0
        for lag in stride(from: -maxLag, through: maxLag, by: 1) {
            var dot = 0.0, ea = 0.0, eb = 0.0
            var i = max(0, -lag)
            while i < n {
                let x = Double(a[i]), y = Double(b[i + lag])
                dot += x * y; ea += x * x; eb += y * y
                i += 7  // a sample of the positions is enough to find the alignment
            }
            if ea > 0, eb > 0 { best = max(best, dot / (ea * eb).squareRoot()) }
        }
        return best
    }

    @Test(arguments: ["gsm", "wav49"])
    func gsmBecomesAnMP3OfTheSameLengthThatTracksTheGSMDecode(_ kind: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let pcm = SyntheticSpeech.pcm(seconds: 12, seed: 42)
        let input = folder.appendingPathComponent("call.\(kind == "gsm" ? "gsm" : "wav")")
        try (kind == "gsm" ? GSMWriter.raw(pcm) : GSMWriter.wav49(pcm)).write(to: input)
        #expect(AudioFormat.sniff(try Data(contentsOf: input)) == (kind == "gsm" ? .gsm : .wav49))

        let output = folder.appendingPathComponent("call.mp3")
        let tags = MP3Tags(title: "7e4e7db9-f080-494e-b04b-7c8e47711558", artist: "Agent Ñandú", comment: "2016-01-18 10:15:00 Power<-")
        let result = try Transcoder.toMP3(input: input, output: output, tags: tags)
        #expect(result.samples == 96_000)
        #expect(result.badFrames == 0)
        #expect(result.trailingBytes == 0)

        let mp3 = try Data(contentsOf: output)
        #expect(AudioFormat.sniff(mp3) == .mp3)
        #expect(mp3.starts(with: Array("ID3".utf8)))
        // 24 kbps for 12 s ≈ 36 KB.
        #expect(mp3.count > 30_000 && mp3.count < 45_000)

        let decoded = try decodeWithMpg123(output)
        // The Info frame tells the decoder the exact length: within 40 ms (320 samples).
        #expect(abs(decoded.count - result.samples) <= 320, "mpg123 decoded \(decoded.count) samples of \(result.samples)")
        let reference = try gsmDecode(input)
        #expect(reference.count == result.samples)
        let r = correlation(reference, decoded)
        #expect(r >= 0.95, "correlation \(r)")
    }

    @Test func rawAndWAV49OfTheSameAudioDecodeIdentically() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let pcm = SyntheticSpeech.pcm(seconds: 2, seed: 7)
        let raw = folder.appendingPathComponent("a.gsm"), wav = folder.appendingPathComponent("a.wav")
        try GSMWriter.raw(pcm).write(to: raw)
        try GSMWriter.wav49(pcm).write(to: wav)
        #expect(try gsmDecode(raw) == (try gsmDecode(wav)))
    }

    @Test func truncatedGSMDecodesItsWholeFramesAndReportsTheRest() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = GSMWriter.raw(SyntheticSpeech.pcm(seconds: 1, seed: 3)).dropLast(10)
        let result = try Transcoder.decode(Data(data), format: .gsm) { _, _ in }
        #expect(result.samples == 49 * 160)
        #expect(result.trailingBytes == 23)
    }

    @Test func sniffingTellsFormatsApart() {
        #expect(AudioFormat.sniff(Array("<!DOCTYPE html><html><body>Not found</body></html>".utf8)) == .html)
        #expect(AudioFormat.sniff([UInt8](repeating: 0x42, count: 100)) == .unknown)
        #expect(AudioFormat.sniff([0xFF, 0xE3, 0x38, 0xC4, 0, 0]) == .mp3)
        #expect(AudioFormat.sniff(Array("ID3\u{4}".utf8) + [0, 0]) == .mp3)
    }
}
