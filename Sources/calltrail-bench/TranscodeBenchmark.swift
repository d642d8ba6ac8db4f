import CalltrailAudio
import Foundation

/// GSM → MP3 at the archive's settings (8 kHz mono, CBR 24 kbps), as × real time on one core; peers
/// sox and ffmpeg at the same bitrate when installed.
enum TranscodeBenchmark {
    struct Figure {
        var seconds: Double
        var audioSeconds: Double
        var realTime: Double { audioSeconds / seconds }
    }

    static func gsm(seconds: Double, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("speech-\(Int(seconds)).gsm")
        if !FileManager.default.fileExists(atPath: url.path) {
            // Synthesize one minute and repeat it: speech-like content, cheap to make.
            let minute = SyntheticSpeech.pcm(seconds: min(60, seconds), seed: 9)
            var pcm: [Int16] = []
            pcm.reserveCapacity(Int(seconds * 8000))
            while pcm.count < Int(seconds * 8000) { pcm.append(contentsOf: minute.prefix(Int(seconds * 8000) - pcm.count)) }
            try GSMWriter.raw(pcm).write(to: url)
        }
        return url
    }

    /// The median of `runs` conversions.
    static func calltrail(_ input: URL, audioSeconds: Double, runs: Int) throws -> Figure {
        let output = input.deletingPathExtension().appendingPathExtension("mp3")
        var times: [Double] = []
        for _ in 0..<runs {
            times.append(try Measure.seconds { _ = try Transcoder.toMP3(input: input, output: output, tags: MP3Tags(title: "bench")) })
        }
        return Figure(seconds: times.sorted()[times.count / 2], audioSeconds: audioSeconds)
    }

    static func peer(_ command: [String], audioSeconds: Double, runs: Int) throws -> Figure? {
        guard Measure.available(command[0]) else { return nil }
        var times: [Double] = []
        for _ in 0..<runs {
            let result = try Measure.run(command)
            guard result.status == 0 else { return nil }
            times.append(result.seconds)
        }
        return Figure(seconds: times.sorted()[times.count / 2], audioSeconds: audioSeconds)
    }
}
