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

    /// Parses a `Retry-After` header: delta-seconds or an HTTP-date. Nil when absent or unreadable.
    public static func retryAfter(_ header: String?, now: Date = Date()) -> TimeInterval? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
