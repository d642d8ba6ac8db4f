/// The vendor platforms Calltrail can sync from. The raw value is what `calls.source` holds by default.
public enum SourceKind: String, Sendable, CaseIterable {
    case ucontact
    /// Meiqia 美洽: a bearer token that never expires; no user.
    case meiqia
    /// CCAI Platform (UJET) Manager API: HTTP Basic with the company key and an API token.
    case ccai
    /// Vonage Contact Center (NewVoiceMedia) Insights Stats: OAuth client credentials (user = client id).
    case vonage

    /// Whether the source logs in with a user name beside its secret.
    public var needsUser: Bool { self != .meiqia }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
