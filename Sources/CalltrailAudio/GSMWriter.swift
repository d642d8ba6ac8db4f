import Foundation

/// Encodes PCM (8 kHz mono) as the two GSM files uContact leaves behind: Asterisk's raw `.gsm` and
/// WAV49 (MS-GSM in a RIFF file, with a `LIST` chunk before the data as ffmpeg writes it).
public enum GSMWriter {
    public static func raw(_ pcm: [Int16]) -> Data {
        let codec = GSMCodec(wav49: false)
        let frames = pcm.count / GSMCodec.samplesPerFrame
        var out = [UInt8](repeating: 0, count: frames * GSMCodec.frameBytes)
        pcm.withUnsafeBufferPointer { samples in
            out.withUnsafeMutableBufferPointer { bytes in
                for f in 0..<frames {
                    codec.encode(samples.baseAddress! + f * 160, into: bytes.baseAddress! + f * 33)
                }
            }
        }
        return Data(out)
    }

    public static func wav49(_ pcm: [Int16]) -> Data {
        let codec = GSMCodec(wav49: true)
        let blocks = pcm.count / 320
        var payload = [UInt8](repeating: 0, count: blocks * GSMCodec.wav49BlockBytes)
        pcm.withUnsafeBufferPointer { samples in
            payload.withUnsafeMutableBufferPointer { bytes in
                for b in 0..<blocks {
                    let block = bytes.baseAddress! + b * 65
                    codec.encode(samples.baseAddress! + b * 320, into: block)
                    codec.encode(samples.baseAddress! + b * 320 + 160, into: block + 32)
                }
            }
        }
        var riff = Data()
        func u16(_ v: Int) { riff.append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)]) }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
        func chunk(_ id: String, _ body: Data) {
            riff.append(contentsOf: Array(id.utf8))
            u32(body.count)
            riff.append(body)
            if body.count % 2 == 1 { riff.append(0) }
        }
        var fmt = Data()
        func fu16(_ v: Int) { fmt.append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)]) }
        fu16(0x0031); fu16(1)                                // GSM 6.10, mono
        fu16(8000 & 0xFFFF); fu16(0)                         // 8 kHz
        fu16(1625); fu16(0)                                  // bytes per second
        fu16(65); fu16(0)                                    // block align, bits per sample
        fu16(2); fu16(320)                                   // extra size, samples per block
        let sampleCount = blocks * 320
        let fact = Data([UInt8(sampleCount & 0xFF), UInt8(sampleCount >> 8 & 0xFF), UInt8(sampleCount >> 16 & 0xFF), UInt8(sampleCount >> 24 & 0xFF)])
        let list = Data("INFOISFT\u{0E}\0\0\0Lavf60.16.100\0".utf8)
        riff.append(contentsOf: Array("RIFF".utf8))
        let sizeOffset = riff.count
        u32(0)
        riff.append(contentsOf: Array("WAVE".utf8))
        chunk("fmt ", fmt)
        chunk("fact", fact)
        chunk("LIST", list)
        chunk("data", Data(payload))
        let size = riff.count - 8
        riff.replaceSubrange(sizeOffset..<(sizeOffset + 4), with: [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24 & 0xFF)])
        return riff
    }

    /// A 16-bit PCM WAV at 8 kHz mono, as Vonage's Interaction Content API serves a call recording.
    public static func pcmWAV(_ pcm: [Int16]) -> Data {
        var riff = Data()
        func u16(_ v: Int) { riff.append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)]) }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
        riff.append(contentsOf: Array("RIFF".utf8))
        u32(36 + pcm.count * 2)
        riff.append(contentsOf: Array("WAVEfmt ".utf8))
        u32(16); u16(1); u16(1); u32(8000); u32(16000); u16(2); u16(16)   // PCM, mono, 8 kHz, 16 bit
        riff.append(contentsOf: Array("data".utf8))
        u32(pcm.count * 2)
        for sample in pcm { u16(Int(UInt16(bitPattern: sample))) }
        return riff
    }

    /// MP3 bytes for PCM, as the telephony server stores recordings it converted itself.
    public static func mp3(_ pcm: [Int16], tags: MP3Tags?) throws -> Data {
        let encoder = try MP3Encoder(tags: tags)
        var out = Data(encoder.header)
        try pcm.withUnsafeBufferPointer { out.append(contentsOf: try encoder.encode($0)) }
        out.append(contentsOf: try encoder.flush())
        let info = encoder.infoFrame()
        if !info.isEmpty { out.replaceSubrange(encoder.header.count..<(encoder.header.count + info.count), with: info) }
        return out
    }
}
