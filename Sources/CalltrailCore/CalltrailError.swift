/// An error a user can act on: one line naming the field and the fix, and the exit status of docs/DESIGN.md.
public struct CalltrailError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Bad configuration or arguments: exit 2.
        case configuration
        /// The work ran but something failed and was recorded for the next run: exit 1.
        case failure
        /// Another run holds the lock: exit 3.
        case locked
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        // One line, always: vendor text may carry newlines. Never a credential: a vendor's answer quoted
        // here may echo the request that carried it.
        self.message = Redaction.scrub(message.split(whereSeparator: \.isNewline).joined(separator: " "))
    }

    public static func configuration(_ message: String) -> CalltrailError { .init(.configuration, message) }
    public static func failure(_ message: String) -> CalltrailError { .init(.failure, message) }

    public var exitCode: Int32 {
        switch kind {
        case .configuration: 2
        case .failure: 1
        case .locked: 3
        }
    }

    public var description: String { message }
}
