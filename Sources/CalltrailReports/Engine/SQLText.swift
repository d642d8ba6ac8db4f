import CalltrailCore
import Foundation
import GRDBSQLite

/// Cell text exactly as the queries/ files and the query runner write it, so that the report engine's
/// datasets equal the SQL's to the byte.
enum SQLText {
    /// SQLite's own `printf`: it rounds a tie away from zero where the C library rounds to even.
    static func printf(_ format: String, _ value: Double) -> String {
        withVaList([value]) { arguments in
            guard let text = sqlite3_vmprintf(format, arguments) else { return "" }
            defer { sqlite3_free(text) }
            return String(cString: text)
        }
    }

    /// `printf('%.4f', x)`: the queries' ratios.
    static func ratio(_ value: Double) -> String { printf("%.4f", value) }

    /// `printf('%.1f', x)`: the queries' durations.
    static func seconds(_ value: Double) -> String { printf("%.1f", value) }

    /// A REAL column as the query runner shows one that SQL left unformatted.
    static func real(_ value: Double) -> String { String(format: "%.1f", value) }

    /// `date(x, 'unixepoch')`.
    static func date(_ seconds: Int) -> String { String(dateTime(seconds).prefix(10)) }

    /// `strftime('%Y-%m-%dT%H:%M:%S', x, 'unixepoch')`, for years 0 to 9999 (the abandoned calls list
    /// writes one per call).
    static func dateTime(_ seconds: Int) -> String {
        let t = LocalDateTime(utcSeconds: seconds)
        return String(unsafeUninitializedCapacity: 19) { buffer in
            func put(_ value: Int, _ width: Int, at start: Int) {
                var value = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(t.year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(t.month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(t.day, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(t.hour, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(t.minute, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(t.second, 2, at: 17)
            return 19
        }
    }

    /// SQLite's BINARY collation: byte order, which is not Swift's order of strings.
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
