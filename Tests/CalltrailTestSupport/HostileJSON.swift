import Foundation

/// A value a hostile vendor puts where a number belongs, written for a number's place in JSON and
/// for the inside of a string that held a number.
public struct HostileValue: Sendable, CustomStringConvertible {
    public let json: String
    public let inString: String
    public var description: String { json }

    /// The values issue #32 names, and JSON's own infinity (a number too large for a double).
    public static let all: [HostileValue] = [
        .init(json: "\"inf\"", inString: "inf"), .init(json: "\"-inf\"", inString: "-inf"), .init(json: "\"nan\"", inString: "nan"),
        .init(json: "1e20", inString: "1e20"), .init(json: "-1", inString: "-1"),
        .init(json: "9223372036854775808", inString: "9223372036854775808"), .init(json: "\"\"", inString: ""),
        .init(json: "\"x\"", inString: "x"), .init(json: "1e400", inString: "1e400"),
    ]

    /// The same as a header value.
    public var header: String { inString }
}

/// Rewrites the numbers of a JSON body in place, leaving every other byte as it was: a number token,
/// or a string whose whole content is a number (vendors write `"duration": "35"`), is a numeric leaf.
/// A record is an object that is an element of an array (and everything nested in it); a page-level
/// number is one outside every record (a `total`, `meta.pageCount`).
public enum HostileJSON {
    struct Leaf {
        var range: Range<Int>
        var isString: Bool
        var record: Int?
    }

    /// In each record, one numeric leaf, taking turns: record `r` has its leaf `(r + turn) % count`
    /// replaced, so over a page every field of a record's shape gets the value. Returns the body and
    /// how many leaves were replaced.
    public static func replacingRecordNumbers(_ data: Data, with value: HostileValue, turn: Int) -> (Data, Int) {
        let found = leaves(Array(data))
        var byRecord: [Int: [Leaf]] = [:]
        for leaf in found { if let record = leaf.record { byRecord[record, default: []].append(leaf) } }
        let chosen = byRecord.map { record, leaves in leaves[(record + turn) % leaves.count] }
        return (replace(data, chosen, with: value), chosen.count)
    }

    /// Every page-level numeric leaf replaced.
    public static func replacingPageNumbers(_ data: Data, with value: HostileValue) -> (Data, Int) {
        let chosen = leaves(Array(data)).filter { $0.record == nil }
        return (replace(data, chosen, with: value), chosen.count)
    }

    static func replace(_ data: Data, _ chosen: [Leaf], with value: HostileValue) -> Data {
        var bytes = Array(data)
        for leaf in chosen.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(leaf.range, with: Array((leaf.isString ? value.inString : value.json).utf8))
        }
        return Data(bytes)
    }

    enum Container { case object(expectingKey: Bool), array }

    static func leaves(_ bytes: [UInt8]) -> [Leaf] {
        var stack: [Container] = []
        var result: [Leaf] = []
        var records = 0
        var recordDepth: Int?
        var index = 0
        func currentRecord() -> Int? { recordDepth == nil ? nil : records - 1 }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                if recordDepth == nil, case .array? = stack.last {
                    records += 1
                    recordDepth = stack.count
                }
                stack.append(.object(expectingKey: true))
                index += 1
            case UInt8(ascii: "["):
                stack.append(.array)
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                stack.removeLast()
                if let depth = recordDepth, stack.count == depth { recordDepth = nil }
                index += 1
            case UInt8(ascii: ","):
                if case .object? = stack.last { stack[stack.count - 1] = .object(expectingKey: true) }
                index += 1
            case UInt8(ascii: ":"):
                if case .object? = stack.last { stack[stack.count - 1] = .object(expectingKey: false) }
                index += 1
            case UInt8(ascii: "\""):
                var end = index + 1
                while end < bytes.count && bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
                let isKey: Bool
                if case .object(let expectingKey)? = stack.last { isKey = expectingKey } else { isKey = false }
                let content = (index + 1)..<min(end, bytes.count)
                if !isKey, !content.isEmpty, Double(String(decoding: bytes[content], as: UTF8.self)) != nil {
                    result.append(Leaf(range: content, isString: true, record: currentRecord()))
                }
                index = end + 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var end = index
                while end < bytes.count, "+-.eE0123456789".utf8.contains(bytes[end]) { end += 1 }
                result.append(Leaf(range: index..<end, isString: false, record: currentRecord()))
                index = end
            default:
                index += 1
            }
        }
        return result
    }
}
