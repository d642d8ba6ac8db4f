import CLame
import Foundation

/// Text for the ID3v2 tag, written as UTF-16 so any agent or queue name survives.
public struct MP3Tags: Sendable, Equatable {
    public var title: String
    public var artist: String?
    public var album: String?
    public var comment: String?

    public init(title: String, artist: String? = nil, album: String? = nil, comment: String? = nil) {
        self.title = title
        self.artist = artist
        self.album = album
        self.comment = comment
    }
}

/// libmp3lame set up as docs/AUDIO.md measured it: mono (never LAME's silent stereo default), CBR 24 kbps,
/// output at 8 kHz, quality 7: on 8 kHz telephone speech it is 1.5× faster than docs/AUDIO.md's quality 5
/// and closer to the decoded GSM (SNR 25.7 dB against 24.2 dB, mpg123 decode), the noise shaping of
/// the slower settings buying nothing at this bandwidth (docs/DESIGN.md, "Decisions taken while building"), an Info frame so decoders know the exact length, an ID3v2 tag we write
/// ourselves (so we know where the Info frame starts to write it back).
public final class MP3Encoder {
    public enum Failure: Error, CustomStringConvertible {
        case initialisation(Int32)
        case encoding(Int32)
        public var description: String {
            switch self {
            case .initialisation(let code): "libmp3lame refused its parameters (\(code))"
            case .encoding(let code): "libmp3lame failed to encode (\(code))"
            }
        }
    }

    /// `lame_init` and `lame_init_params` rewrite global tables: serialize them (docs/AUDIO.md).
    private static let initLock = NSLock()

    private let flags: OpaquePointer
    /// The ID3v2 tag, to be written before the first frame.
    public let header: [UInt8]
    private var buffer: [UInt8] = []

    public init(inputSampleRate: Int = 8000, bitrate: Int = 24, quality: Int = 7, tags: MP3Tags?) throws {
        Self.initLock.lock()
        defer { Self.initLock.unlock() }
        guard let flags = lame_init() else { throw Failure.initialisation(-1) }
        self.flags = flags
        lame_set_in_samplerate(flags, Int32(inputSampleRate))
        lame_set_out_samplerate(flags, 8000)
        lame_set_num_channels(flags, 1)
        lame_set_mode(flags, MONO)
        lame_set_VBR(flags, vbr_off)
        lame_set_brate(flags, Int32(bitrate))
        lame_set_quality(flags, Int32(quality))
        lame_set_bWriteVbrTag(flags, 1)
        lame_set_write_id3tag_automatic(flags, 0)
        if let tags {
            id3tag_init(flags)
            id3tag_v2_only(flags)
            Self.setText(flags, "TIT2", tags.title)
            if let artist = tags.artist { Self.setText(flags, "TPE1", artist) }
            if let album = tags.album { Self.setText(flags, "TALB", album) }
            if let comment = tags.comment {
                let description = Self.utf16("")
                let text = Self.utf16(comment)
                _ = id3tag_set_comment_utf16(flags, "eng", description, text)
            }
        }
        let status = lame_init_params(flags)
        guard status >= 0 else {
            lame_close(flags)
            throw Failure.initialisation(status)
        }
        if tags != nil {
            let size = lame_get_id3v2_tag(flags, nil, 0)
            var tag = [UInt8](repeating: 0, count: size)
            let written = tag.withUnsafeMutableBufferPointer { lame_get_id3v2_tag(flags, $0.baseAddress, size) }
            header = Array(tag.prefix(written))
        } else {
            header = []
        }
    }

    deinit { lame_close(flags) }

    /// MP3 bytes for `samples` (mono, 16-bit); may be empty while LAME fills a frame.
    public func encode(_ samples: UnsafeBufferPointer<Int16>) throws -> ArraySlice<UInt8> {
        let capacity = samples.count * 5 / 4 + 7200
        if buffer.count < capacity { buffer = [UInt8](repeating: 0, count: capacity) }
        let written = buffer.withUnsafeMutableBufferPointer { out in
            lame_encode_buffer(flags, UnsafeMutablePointer(mutating: samples.baseAddress), nil, Int32(samples.count),
                               out.baseAddress, Int32(capacity))
        }
        guard written >= 0 else { throw Failure.encoding(written) }
        return buffer[0..<Int(written)]
    }

    /// The last frames.
    public func flush() throws -> ArraySlice<UInt8> {
        if buffer.count < 7200 { buffer = [UInt8](repeating: 0, count: 7200) }
        let written = buffer.withUnsafeMutableBufferPointer { lame_encode_flush(flags, $0.baseAddress, 7200) }
        guard written >= 0 else { throw Failure.encoding(written) }
        return buffer[0..<Int(written)]
    }

    /// The Info frame to write over the placeholder that follows `header`, after `flush()`.
    public func infoFrame() -> [UInt8] {
        var frame = [UInt8](repeating: 0, count: 2880)
        let size = frame.withUnsafeMutableBufferPointer { lame_get_lametag_frame(flags, $0.baseAddress, 2880) }
        return size > 0 && size <= 2880 ? Array(frame.prefix(size)) : []
    }

    private static func utf16(_ text: String) -> [UInt16] { [0xFEFF] + Array(text.utf16) + [0] }

    private static func setText(_ flags: OpaquePointer, _ id: String, _ text: String) {
        let value = utf16(text)
        _ = id3tag_set_textinfo_utf16(flags, id, value)
    }
}
