import CalltrailCore
import CalltrailJSON
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

/// A vendor record decoded: a call, or the record kept on its own with the reason it maps to none.
public enum DecodedRecord: Sendable, Equatable {
    case call(CallRecord)
    case failure(RawRecord)

    public var call: CallRecord? { if case .call(let call) = self { call } else { nil } }
    public var failure: RawRecord? { if case .failure(let failure) = self { failure } else { nil } }
}

/// The decoding every vendor mapping shares: a record that fails keeps its bytes as text under the
/// vendor's id (or a content hash when it has none) with the error; one that maps is kept by its page,
/// its agent normalized (0 and empty ids are no agent).
public enum RecordDecoding {
    public static func decode(_ bytes: UnsafeRawBufferPointer, key: (JSONValue) -> String?,
                              map: (JSONValue) throws -> CallRecord) -> DecodedRecord {
        func failure(_ key: String?, _ error: any Error) -> DecodedRecord {
            .failure(RawRecord(key: key ?? ContentKey.of(bytes), payload: String(decoding: bytes, as: UTF8.self), decodeError: "\(error)"))
        }
        let value: JSONValue
        do {
            value = try JSONValue.parseRecord(bytes)
        } catch {
            return failure(nil, error)
        }
        do {
            guard case .object = value else { throw RecordFailure.notAnObject }
            var call = try map(value)
            call.agent = CallRecord.agentID(call.agent)
            return .call(call)
        } catch {
            return failure(key(value), error)
        }
    }
}
