import CZlib
import Foundation

/// The records of one listing response as the vendor sent them: a JSON array of each record's exact
/// bytes, zlib-compressed. One row per page instead of one per record: per-record raw rows cost more
/// than the calls themselves to write (BENCHMARKS.md), and JSON that repeats its keys in every record
/// shrinks about eightfold. The sqlite3 shell reads a page with its own zlib function:
/// `CAST(sqlar_uncompress(body, bytes) AS TEXT)`.
public struct RawPage: Sendable, Equatable {
    /// zlib (RFC 1950), or the JSON itself when compressing did not make it smaller (`body.count == bytes`),
    /// as sqlar_uncompress reads it.
    public var body: [UInt8]
    /// The length of the JSON.
    public var bytes: Int
    /// How many records the array holds.
    public var records: Int

    public init(body: [UInt8], bytes: Int, records: Int) {
        self.body = body
        self.bytes = bytes
        self.records = records
    }

    /// The array of `elements` (ranges of `buffer`, each one record's bytes), compressed.
    public init(elements: [Range<Int>], of buffer: UnsafeRawBufferPointer) {
        var json: [UInt8] = []
        json.reserveCapacity(elements.reduce(2) { $0 + $1.count + 1 })
        json.append(UInt8(ascii: "["))
        for (index, range) in elements.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            json.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[range]))
        }
        json.append(UInt8(ascii: "]"))
        self.init(json: json, records: elements.count)
    }

    /// `json` compressed at zlib's fastest level: the page is compressed while the previous one is
    /// being written, and level 1 keeps that under the writer's time (BENCHMARKS.md).
    public init(json: [UInt8], records: Int) {
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(json.count))))
        var length = uLongf(compressed.count)
        let status = json.withUnsafeBufferPointer { source in
            compressed.withUnsafeMutableBufferPointer { target in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), 1)
            }
        }
        if status == Z_OK && Int(length) < json.count {
            // A copy of the right size: the bound is ≈ the JSON's length, and pages wait in memory.
            self.init(body: Array(compressed.prefix(Int(length))), bytes: json.count, records: records)
        } else {
            self.init(body: json, bytes: json.count, records: records)
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case corrupt
        public var description: String { "raw page does not decompress to its recorded length" }
    }

    /// The JSON array.
    public func json() throws -> [UInt8] {
        if body.count == bytes { return body }
        var json = [UInt8](repeating: 0, count: bytes)
        var length = uLongf(bytes)
        let status = body.withUnsafeBufferPointer { source in
            json.withUnsafeMutableBufferPointer { target in
                uncompress(target.baseAddress, &length, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK, Int(length) == bytes else { throw Failure.corrupt }
        return json
    }
}
