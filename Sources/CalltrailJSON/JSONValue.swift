import CalltrailCore
import Foundation

/// Any JSON value. Vendor records are read through this so that unknown shapes, strings where
/// numbers were documented and missing keys never fail a whole page.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The value as Foundation objects, for `JSONSerialization`.
    public var foundationObject: Any {
        switch self {
        case .null: NSNull()
        case .bool(let b): b
        case .number(let n): n
        case .string(let s): s
        case .array(let a): a.map(\.foundationObject)
        case .object(let o): o.dictionary.mapValues(\.foundationObject)
        }
    }

    /// Parses a whole JSON document (a vendor response), nested at most as deep as JSONDecoder allows.
    public static func parse(_ data: Data) throws -> JSONValue {
        do { return try data.withUnsafeBytes { try JSONParser.parse($0, maxDepth: 512) } } catch { throw RecordProblem.notJSON }
    }

    /// Why a vendor record cannot be read, as its raw row's `decode_error`.
    public enum RecordProblem: Error, Equatable, CustomStringConvertible {
        case tooLarge(Int)
        case tooDeep(Int)
        case notJSON

        public var description: String {
            switch self {
            case .tooLarge(let bytes): "record of \(bytes) bytes is larger than \(JSONValue.maxRecordBytes) bytes"
            case .tooDeep(let depth): "record nests deeper than \(depth) levels"
            case .notJSON: "not valid JSON"
            }
        }
    }

    /// Hostile input is bounded per record: one oversized or absurdly nested record is refused, the
    /// rest of the page is read.
    public static let maxRecordBytes = 1 << 20
    public static let maxDepth = 32

    /// Parses one vendor record within those bounds.
    public static func parseRecord(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { try parseRecord($0) }
    }

    public static func parseRecord(_ data: UnsafeRawBufferPointer) throws -> JSONValue {
        guard data.count <= maxRecordBytes else { throw RecordProblem.tooLarge(data.count) }
        do {
            return try JSONParser.parse(data, maxDepth: maxDepth)
        } catch .tooDeep {
            throw RecordProblem.tooDeep(maxDepth)
        } catch {
            throw RecordProblem.notJSON
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }


    /// Text for a string, or a number written without a needless ".0"; nil for null and empty text.
    public var text: String? {
        switch self {
        case .string(let s): s.isEmpty ? nil : s
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): String(b)
        default: nil
        }
    }

    /// A number, also from a numeric string ("42", "42.5"). Nil for anything else.
    public var number: Double? {
        switch self {
        case .number(let n): n.isFinite ? n : nil
        case .string(let s): Double(s.trimmingSpaces).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }
}

/// A JSON object's members in the order they were read. Vendor records are small objects read a few
/// fields each: a linear search over a dozen short keys beats hashing every key into a dictionary
/// (which was a fifth of the ingest's parsing). A key given twice means its last value, as
/// `JSONSerialization` reads it.
public struct JSONObject: Sendable, Equatable, Sequence {
    public typealias Member = (key: String, value: JSONValue)
    public private(set) var members: [Member]

    /// Room for `capacity` members: a vendor record has a dozen or so, and growing the array from
    /// empty cost five reallocations a record.
    init(capacity: Int) {
        members = []
        members.reserveCapacity(capacity)
    }

    mutating func append(_ key: String, _ value: JSONValue) { members.append((key, value)) }

    public subscript(key: String) -> JSONValue? {
        var index = members.count
        while index > 0 {
            index -= 1
            if members[index].key == key { return members[index].value }
        }
        return nil
    }

    /// Each key once, with its last value.
    public var dictionary: [String: JSONValue] { Dictionary(members, uniquingKeysWith: { $1 }) }

    public func makeIterator() -> Dictionary<String, JSONValue>.Iterator { dictionary.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool { a.dictionary == b.dictionary }
}
