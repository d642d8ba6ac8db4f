/// The vendor platforms Calltrail can sync from. The raw value is what `calls.source` holds by default.
public enum SourceKind: String, Sendable, CaseIterable {
    case ucontact

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
