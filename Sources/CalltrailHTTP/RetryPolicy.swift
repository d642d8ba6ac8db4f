import Foundation

/// How often and how long to retry: `Retry-After` for 429/503, bounded exponential backoff with
/// full jitter for other 5xx, timeouts and connection errors.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var base: TimeInterval
    public var cap: TimeInterval
    public var maxRetryAfter: TimeInterval

    public init(maxAttempts: Int = 5, base: TimeInterval = 0.5, cap: TimeInterval = 30, maxRetryAfter: TimeInterval = 120) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1): uniform in [0, min(cap, base·2^(attempt-1))].
    public func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let ceiling = min(cap, base * pow(2, Double(max(0, attempt - 1))))
        return ceiling <= 0 ? 0 : Double.random(in: 0...ceiling)
    }

    /// The longest wait a `Retry-After` is read as: anything longer (`1e20`, `inf`, a date years ahead)
    /// is this, which every `max_retry_after_seconds` refuses, so the page fails for this run.
    public static let longestRetryAfter: TimeInterval = 86_400 * 365

    /// Parses a `Retry-After` header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), at most
    /// `longestRetryAfter`. Nil when absent or unreadable (`nan`, `-1`, text): the usual backoff applies.
    public static func retryAfter(_ header: String?, now: Date = Date()) -> TimeInterval? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header) {
            guard seconds >= 0 else { return nil }  // negative and NaN
            return min(seconds, longestRetryAfter)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return min(max(0, date.timeIntervalSince(now)), longestRetryAfter)
    }
}
