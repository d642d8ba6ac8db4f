import CalltrailCore
import CalltrailStore
import Foundation

/// Why a vendor record maps to no call; its text is the raw row's `decode_error`.
public enum RecordFailure: Error, Equatable, CustomStringConvertible {
    case notAnObject
    case missing(String)
    case invalid(field: String, value: String)

    public var description: String {
        switch self {
        case .notAnObject: "record is not a JSON object"
        case .missing(let field): "record has no \(field)"
        case .invalid(let field, let value): "\(field) '\(value.prefix(40))' is not valid"
        }
    }
}

/// The decoding every vendor mapping shares: the raw record is always kept (under the vendor's id,
/// or a content hash when it has none), with the error when the record maps to no call.
public enum RecordDecoding {
    public static func decode(_ bytes: Data, key: (JSONValue) -> String?,
                              map: (JSONValue) throws -> CallRecord) -> (RawRecord, CallRecord?) {
        let payload = String(decoding: bytes, as: UTF8.self)
        let value: JSONValue
        do {
            value = try JSONValue.parseRecord(bytes)
        } catch {
            return (RawRecord(key: ContentKey.of(bytes), payload: payload, decodeError: "\(error)"), nil)
        }
        do {
            guard case .object = value else { throw RecordFailure.notAnObject }
            let call = try map(value)
            return (RawRecord(key: call.callID, payload: payload), call)
        } catch {
            return (RawRecord(key: key(value) ?? ContentKey.of(bytes), payload: payload, decodeError: "\(error)"), nil)
        }
    }
}
