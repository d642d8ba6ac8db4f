import Foundation

/// A strict RFC 8259 parser from bytes straight to `JSONValue`, with the nesting bound checked as it
/// goes. It is the ingest's hot path: `JSONDecoder` through the Decodable enum tries each case by
/// throwing and cost ≈ 30 µs a record, this ≈ 1 µs (BENCHMARKS.md).
enum JSONParser {
    enum Failure: Error, Equatable {
        case invalid
        case tooDeep
    }

    static func parse(_ raw: UnsafeRawBufferPointer, maxDepth: Int) throws(Failure) -> JSONValue {
        var reader = Reader(bytes: raw.bindMemory(to: UInt8.self), maxDepth: maxDepth)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw Failure.invalid }
        return value
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        func peek() throws(Failure) -> UInt8 {
            guard index < bytes.count else { throw .invalid }
            return bytes[index]
        }

        mutating func expect(_ literal: StaticString) throws(Failure) {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw .invalid }
            for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { throw .invalid }
            index += count
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            switch try peek() {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func object(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maxDepth else { throw .tooDeep }
            index += 1
            var object = JSONObject(capacity: 16)
            skipSpace()
            if try peek() == UInt8(ascii: "}") { index += 1; return .object(object) }
            while true {
                skipSpace()
                guard try peek() == UInt8(ascii: "\"") else { throw .invalid }
                let key = try string()
                skipSpace()
                guard try peek() == UInt8(ascii: ":") else { throw .invalid }
                index += 1
                skipSpace()
                object.append(key, try value(depth: depth))
                skipSpace()
                switch try peek() {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return .object(object)
                default: throw .invalid
                }
            }
        }

        mutating func array(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maxDepth else { throw .tooDeep }
            index += 1
            var array: [JSONValue] = []
            skipSpace()
            if try peek() == UInt8(ascii: "]") { index += 1; return .array(array) }
            while true {
                skipSpace()
                array.append(try value(depth: depth))
                skipSpace()
                switch try peek() {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return .array(array)
                default: throw .invalid
                }
            }
        }

        mutating func string() throws(Failure) -> String {
            index += 1  // the opening quote
            let start = index
            // Fast path: no escapes, the bytes are the string. ASCII needs no validation (and the generic
            // validating initializer costs more than the copy); anything else is validated as UTF-8.
            var ascii = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    index += 1
                    if ascii { return String(decoding: slice, as: UTF8.self) }
                    guard let text = String(validating: slice, as: UTF8.self) else { throw .invalid }
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                guard byte >= 0x20 else { throw .invalid }
                if byte >= 0x80 { ascii = false }
                index += 1
            }
            guard index < bytes.count else { throw .invalid }
            var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: utf8, as: UTF8.self) else { throw .invalid }
                    return text
                case UInt8(ascii: "\\"):
                    let escape = try peek()
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"): utf8.append(contentsOf: try unicodeEscape())
                    default: throw .invalid
                    }
                default:
                    guard byte >= 0x20 else { throw .invalid }
                    utf8.append(byte)
                }
            }
            throw .invalid
        }

        /// After `\u`: four hex digits, a surrogate pair as two escapes; lone surrogates are refused.
        mutating func unicodeEscape() throws(Failure) -> String.UTF8View {
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                try expect("\\u")
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw .invalid }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .invalid }
            return String(Character(unicode)).utf8
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard index + 4 <= bytes.count else { throw .invalid }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw .invalid
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; a value that overflows a Double is refused.
        mutating func number() throws(Failure) -> Double {
            let start = index
            var negative = false
            if try peek() == UInt8(ascii: "-") { negative = true; index += 1 }
            var integer: Int64 = 0
            var digits = 0
            let first = try peek()
            guard isDigit(first) else { throw .invalid }
            if first == UInt8(ascii: "0") {
                index += 1
                digits = 1
            } else {
                while index < bytes.count, isDigit(bytes[index]) {
                    if digits < 18 { integer = integer * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                    digits += 1
                    index += 1
                }
            }
            var simple = digits <= 15
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                simple = false
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw .invalid }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                simple = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw .invalid }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if simple { return negative ? -Double(integer) : Double(integer) }
            // Integers of up to 15 digits are exact above; the rest goes through strtod.
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else { throw .invalid }
            return value
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}
