/// A flat JSON object written by hand, members in the order given: the traffic generator encodes
/// millions of records for the benchmarks, and `JSONSerialization` with sorted keys spent ≈ 150 µs on
/// each (its key sort compares through NSString and a locale).
struct JSONText {
    enum Value {
        case string(String)
        case integer(Int)
        case null
    }

    private(set) var text = "{"

    mutating func add(_ key: String, _ value: Value) {
        if text.utf8.count > 1 { text += "," }
        Self.appendString(key, to: &text)
        text += ":"
        switch value {
        case .string(let string): Self.appendString(string, to: &text)
        case .integer(let number): text += String(number)
        case .null: text += "null"
        }
    }

    var object: String { text + "}" }

    /// RFC 8259 string escaping: quote, backslash and control characters; the rest as UTF-8.
    static func appendString(_ string: String, to text: inout String) {
        text += "\""
        if !string.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            text += string
            text += "\""
            return
        }
        var plainStart = string.unicodeScalars.startIndex
        var index = plainStart
        let scalars = string.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String? = switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            default: scalar.value < 0x20 ? "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16) : nil
            }
            if let escape {
                text.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
                text += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        text.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        text += "\""
    }
}
