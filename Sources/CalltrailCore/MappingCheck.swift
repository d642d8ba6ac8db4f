/// A consistency check on a vendor record, where the vendor's documentation leaves a reading open
/// (docs/VENDORS.md marks the field [guess]): run on every record the mapping reads, counted per
/// source and check in the report's data_quality, so that a misreading shows the first night
/// against a real server instead of skewing the figures silently.
public struct MappingCheck: Sendable, Equatable {
    /// Short, stable: stored in `calls.failed_checks` and shown in data_quality.
    public var name: String
    /// What a record that breaks it means for the figures.
    public var meaning: String

    public init(_ name: String, _ meaning: String) {
        self.name = name
        self.meaning = meaning
    }

    /// The share of a source's records in a period above which the report's header and the nightly
    /// JSON line name the check.
    public static let warningShare = 0.05
}
