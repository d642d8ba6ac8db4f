import Foundation
import Synchronization

/// Every credential this process has read or been handed (passwords, tokens, the header values built
/// from them), and the text they must never appear in: error messages, log lines, `sync_runs` and
/// `recordings.last_error`. A vendor that echoes a request in its error page (a 500 quoting the login
/// form, a 401 quoting the Authorization header) cannot carry a secret into a stored error, whatever
/// encoding the echo uses: each secret is kept with its form-encoded, percent-encoded, JSON-escaped and
/// base64 spellings.
public enum Redaction {
    /// What a secret is replaced by.
    public static let mask = "‹secret›"
    private static let secrets = Mutex<Set<String>>([])

    /// Remembers `value` (and its other spellings) for `scrub`. Values under 4 characters would scrub
    /// ordinary text and are too short to be a credential anyone should accept: they are ignored here.
    public static func register(_ value: String) {
        guard value.count >= 4, !secrets.withLock({ $0.contains(value) }) else { return }
        var forms: Set<String> = [value, FormBody.escape(value), Data(value.utf8).base64EncodedString()]
        if let percent = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { forms.insert(percent) }
        if let json = try? JSONSerialization.data(withJSONObject: [value]), let text = String(data: json, encoding: .utf8) {
            // ["…"] → the escaped string without its brackets and quotes.
            forms.insert(String(text.dropFirst(2).dropLast(2)))
        }
        let kept = forms.filter { $0.count >= 4 }
        secrets.withLock { $0.formUnion(kept) }
    }

    /// `text` with every registered secret replaced by the mask, longest first (so a secret that holds
    /// another is masked whole).
    public static func scrub(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        guard !known.isEmpty else { return text }
        var result = text
        for secret in known.sorted(by: { $0.count > $1.count }) where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        return result
    }
}
