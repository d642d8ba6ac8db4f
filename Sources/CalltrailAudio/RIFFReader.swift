import Foundation

/// Walks a RIFF/WAVE file's chunks (`fmt `, `fact`, `LIST`, `data`, ...), each padded to an even
/// length, so that no fixed data offset is assumed.
public struct RIFFReader: Sendable {
    public struct Format: Sendable, Equatable {
        public var tag: UInt16
        public var channels: Int
        public var sampleRate: Int
        public var blockAlign: Int
        public var bitsPerSample: Int
    }

    public var format: Format
    /// Byte range of the `data` chunk's payload within the file.
    public var data: Range<Int>

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notRIFF, noFormat, noData
        public var description: String {
            switch self {
            case .notRIFF: "not a RIFF/WAVE file"
            case .noFormat: "RIFF file without a fmt chunk"
            case .noData: "RIFF file without a data chunk"
            }
        }
    }

    public init(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= 12, Self.fourCC(bytes, 0) == "RIFF", Self.fourCC(bytes, 8) == "WAVE" else { throw Failure.notRIFF }
        var offset = 12
        var format: Format?
        var data: Range<Int>?
        while offset + 8 <= bytes.count {
            let id = Self.fourCC(bytes, offset)
            let size = Int(Self.u32(bytes, offset + 4))
            let body = offset + 8
            let end = min(bytes.count, body + size)
            if id == "fmt ", end - body >= 16 {
                format = Format(tag: Self.u16(bytes, body), channels: Int(Self.u16(bytes, body + 2)),
                                sampleRate: Int(Self.u32(bytes, body + 4)), blockAlign: Int(Self.u16(bytes, body + 12)),
                                bitsPerSample: Int(Self.u16(bytes, body + 14)))
            } else if id == "data" {
                // A streamed writer may leave the size at 0 or too large: take what the file holds.
                data = body..<(size == 0 ? bytes.count : end)
                break
            }
            offset = body + size + (size & 1)
        }
        guard let format else { throw Failure.noFormat }
        guard let data else { throw Failure.noData }
        self.format = format
        self.data = data
    }

    /// The format tag from a file's first bytes, when its `fmt ` chunk is within them.
    static func formatTag(_ head: [UInt8]) -> UInt16? {
        head.withUnsafeBytes { try? RIFFReader($0).format.tag } ?? head.withUnsafeBytes { raw -> UInt16? in
            // The data chunk may lie beyond the head: look for `fmt ` alone.
            var offset = 12
            while offset + 8 <= raw.count {
                let size = Int(u32(raw, offset + 4))
                if fourCC(raw, offset) == "fmt ", offset + 10 <= raw.count { return u16(raw, offset + 8) }
                offset += 8 + size + (size & 1)
            }
            return nil
        }
    }

    static func fourCC(_ b: UnsafeRawBufferPointer, _ o: Int) -> String {
        String(decoding: [b[o], b[o + 1], b[o + 2], b[o + 3]], as: UTF8.self)
    }

    static func u16(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }

    static func u32(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }
}
