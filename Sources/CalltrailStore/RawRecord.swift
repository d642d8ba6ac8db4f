import Foundation

/// A vendor record as received. `decodeError` is set when it could not become a `CallRecord`.
public struct RawRecord: Sendable, Equatable {
    /// The vendor's call id, or `sha256:<hash of payload>` when the record has none.
    public var key: String
    public var payload: String
    public var decodeError: String?

    public init(key: String, payload: String, decodeError: String? = nil) {
        self.key = key
        self.payload = payload
        self.decodeError = decodeError
    }
}
