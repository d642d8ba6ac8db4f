import CalltrailCore
import Foundation

/// Failures talking to a vendor, turned into one-line messages that name what to check; what failed
/// (a listing page, a recording, a snapshot) is recorded and retried next run.
public enum SourceError: FinalHTTPError, CustomStringConvertible {
    /// No connection after every attempt (refused, DNS, timeout).
    case unreachable(source: String, url: String, reason: String)
    /// The vendor kept answering with an error status after every attempt.
    case status(source: String, url: String, code: Int, body: String)
    /// Login refused; `user` nil for token-only vendors.
    case rejectedCredentials(source: String, user: String?, detail: String)
    /// An answer that is not what the vendor documents.
    case protocolViolation(source: String, url: String, detail: String)
    /// The vendor asked us to wait longer than `max_retry_after_seconds`.
    case throttled(source: String, url: String, seconds: TimeInterval)
    /// A redirect that is not followed (a request with credentials, https to http, too many).
    case redirected(source: String, RedirectRefused)

    /// The one-line message, masked: an error interpolated into a log line shows no vendor echo of a
    /// credential (the cases' bodies would, as Swift's default description).
    public var description: String { calltrailError.message }

    public var calltrailError: CalltrailError {
        switch self {
        case .unreachable(let source, let url, let reason):
            .failure("cannot reach \(source) at \(url) (\(reason)): check base_url of source '\(source)' and the network; the run resumes from here next time")
        case .status(let source, let url, let code, let body):
            .failure("\(source) answered HTTP \(code) at \(url)\(body.isEmpty ? "" : ": \(body)"); retried next run")
        case .rejectedCredentials(let source, let user?, let detail):
            .configuration("\(source) rejected the credentials of user '\(user)' (\(detail)): check user and the password that password_env or password_file of source '\(source)' names")
        case .rejectedCredentials(let source, nil, let detail):
            .configuration("\(source) rejected the token (\(detail)): check the token that password_env or password_file of source '\(source)' names (a newly fetched token revokes the old one)")
        case .protocolViolation(let source, let url, let detail):
            .failure("\(source) answered \(url) with \(detail); retried next run")
        case .redirected(let source, let refused):
            .failure("\(source): \(refused.description); retried next run")
        case .throttled(let source, let url, let seconds):
            .failure("\(source) asked to wait \(seconds >= RetryPolicy.longestRetryAfter ? "a year or more" : "\(Int(seconds.rounded(.up))) s") at \(url), longer than max_retry_after_seconds; retried next run")
        }
    }
}
