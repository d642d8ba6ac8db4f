/// Vendor-supplied names (guids, call ids) go into URLs and paths only after this check: letters,
/// digits, `.`, `_` and `-`, not starting with a dot, no `..`, at most 128 characters. A `/`, a `%2F`
/// or a `..` is refused before any request is made.
public enum RecordingName {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let name: String
        public var description: String {
            "recording name '\(name.prefix(60))' is not a safe file name (letters, digits, . _ - only): the call is skipped and kept as failed"
        }
    }

    public static func validate(_ name: String) throws -> String {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
        }
        guard !name.isEmpty, name.count <= 128, allowed, !name.hasPrefix("."), !name.contains("..") else {
            throw Invalid(name: name)
        }
        return name
    }
}
