import Foundation

/// GSM (raw or WAV49) or PCM WAV in, MP3 out, streamed in chunks so a one-hour recording needs no
/// more memory than a one-minute one.
public enum Transcoder {
    public struct Result: Sendable, Equatable {
        /// PCM samples decoded (at the input's rate).
        public var samples: Int
        public var sampleRate: Int
        /// Frames libgsm rejected (decoded as silence).
        public var badFrames: Int
        /// Bytes after the last whole frame or block (a truncated file), not decoded.
        public var trailingBytes: Int

        public var duration: Double { Double(samples) / Double(sampleRate) }
    }

    public enum Failure: Error, CustomStringConvertible {
        case unsupported(AudioFormat)
        case unsupportedWAV(String)
        case empty

        public var description: String {
            switch self {
            case .unsupported(let format): "cannot convert \(format.rawValue) audio to MP3"
            case .unsupportedWAV(let detail): "unsupported WAV: \(detail)"
            case .empty: "the recording holds no whole audio frame"
            }
        }
    }

    /// Decodes `input` (of the sniffed `format`) and writes the MP3 to `output`, Info frame included.
    public static func toMP3(input: URL, output: URL, tags: MP3Tags?) throws -> Result {
        let data = try Data(contentsOf: input, options: .alwaysMapped)
        let format = AudioFormat.sniff(data.prefix(4096))
        // Created in place (FileManager.createFile would stage a `.dat.nosync…` file beside it, which a
        // killed run leaves behind in the archive's .incoming/).
        let created = open(output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
        guard created >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path]) }
        close(created)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        var encoder: MP3Encoder?
        var pending = Data()
        func emit(_ chunk: UnsafeBufferPointer<Int16>, rate: Int) throws {
            if encoder == nil {
                encoder = try MP3Encoder(inputSampleRate: rate, tags: tags)
                pending.append(contentsOf: encoder!.header)
            }
            pending.append(contentsOf: try encoder!.encode(chunk))
            if pending.count >= 1 << 16 {
                try handle.write(contentsOf: pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        let result = try decode(data, format: format, chunk: emit)
        guard let encoder, result.samples > 0 else { throw Failure.empty }
        pending.append(contentsOf: try encoder.flush())
        try handle.write(contentsOf: pending)
        let info = encoder.infoFrame()
        if !info.isEmpty {
            try handle.seek(toOffset: UInt64(encoder.header.count))
            try handle.write(contentsOf: info)
        }
        try handle.synchronize()
        return result
    }

    /// Decodes to PCM chunks of up to 8,000 samples, handing each to `chunk` with its sample rate.
    public static func decode(_ data: Data, format: AudioFormat,
                              chunk: (UnsafeBufferPointer<Int16>, Int) throws -> Void) throws -> Result {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result in
            switch format {
            case .gsm:
                return try decodeGSM(raw, range: 0..<raw.count, wav49: false, chunk: chunk)
            case .wav49:
                let riff = try RIFFReader(raw)
                return try decodeGSM(raw, range: riff.data, wav49: true, chunk: chunk)
            case .wav:
                let riff = try RIFFReader(raw)
                return try decodePCM(raw, riff: riff, chunk: chunk)
            default:
                throw Failure.unsupported(format)
            }
        }
    }

    static func decodeGSM(_ raw: UnsafeRawBufferPointer, range: Range<Int>, wav49: Bool,
                          chunk: (UnsafeBufferPointer<Int16>, Int) throws -> Void) throws -> Result {
        let codec = GSMCodec(wav49: wav49)
        let unit = wav49 ? GSMCodec.wav49BlockBytes : GSMCodec.frameBytes
        let framesPerUnit = wav49 ? 2 : 1
        let units = range.count / unit
        let perChunk = 50 / framesPerUnit
        var pcm = [Int16](repeating: 0, count: 50 * GSMCodec.samplesPerFrame)
        let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + range.lowerBound
        var bad = 0
        var samples = 0
        var u = 0
        while u < units {
            let n = min(perChunk, units - u)
            let produced = n * framesPerUnit * GSMCodec.samplesPerFrame
            pcm.withUnsafeMutableBufferPointer { out in
                for k in 0..<n {
                    let unitStart = base + (u + k) * unit
                    for f in 0..<framesPerUnit {
                        let target = out.baseAddress! + (k * framesPerUnit + f) * GSMCodec.samplesPerFrame
                        if !codec.decode(unitStart + f * 33, into: target) {
                            bad += 1
                            target.update(repeating: 0, count: GSMCodec.samplesPerFrame)
                        }
                    }
                }
            }
            try pcm.withUnsafeBufferPointer { try chunk(UnsafeBufferPointer(rebasing: $0[0..<produced]), 8000) }
            samples += produced
            u += n
        }
        return Result(samples: samples, sampleRate: 8000, badFrames: bad, trailingBytes: range.count - units * unit)
    }

    static func decodePCM(_ raw: UnsafeRawBufferPointer, riff: RIFFReader,
                          chunk: (UnsafeBufferPointer<Int16>, Int) throws -> Void) throws -> Result {
        let format = riff.format
        guard format.bitsPerSample == 16, (1...2).contains(format.channels), format.sampleRate >= 8000 else {
            throw Failure.unsupportedWAV("\(format.bitsPerSample)-bit, \(format.channels) channels, \(format.sampleRate) Hz")
        }
        let frameBytes = 2 * format.channels
        let frames = riff.data.count / frameBytes
        var pcm = [Int16](repeating: 0, count: 8000)
        var done = 0
        while done < frames {
            let n = min(8000, frames - done)
            for i in 0..<n {
                let offset = riff.data.lowerBound + (done + i) * frameBytes
                let left = Int16(bitPattern: UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8)
                if format.channels == 2 {
                    let right = Int16(bitPattern: UInt16(raw[offset + 2]) | UInt16(raw[offset + 3]) << 8)
                    pcm[i] = Int16((Int(left) + Int(right)) / 2)
                } else {
                    pcm[i] = left
                }
            }
            try pcm.withUnsafeBufferPointer { try chunk(UnsafeBufferPointer(rebasing: $0[0..<n]), format.sampleRate) }
            done += n
        }
        return Result(samples: frames, sampleRate: format.sampleRate, badFrames: 0, trailingBytes: riff.data.count - frames * frameBytes)
    }
}
