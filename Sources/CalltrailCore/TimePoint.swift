import Foundation

/// A point in time given on the command line or in a configuration: either a wall-clock reading
/// (resolved in the center's time zone once the configuration is known) or an absolute instant.
public enum TimePoint: Sendable, Equatable, CustomStringConvertible {
    case local(LocalDateTime)
    case absolute(Date, text: String)

    public static let accepted = "YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or ISO 8601 with an offset (2026-03-01T08:00:00+01:00)"

    /// Parses the forms of `accepted`; nil otherwise.
    public init?(parsing raw: String) {
        var text = raw.trimmingCharacters(in: .whitespaces)
        // Fractional seconds ("…:52.896Z") are dropped: calls are counted to the second.
        if let dot = text.firstIndex(of: "."), text.distance(from: text.startIndex, to: dot) == 19 {
            let rest = text[text.index(after: dot)...]
            let digits = rest.prefix { $0.isNumber }
            if !digits.isEmpty { text = String(text[..<dot]) + String(rest.dropFirst(digits.count)) }
        }
        if let local = LocalDateTime(parsing: text) {
            self = .local(local)
            return
        }
        // An offset or Z after a local reading: resolve it ourselves, it is exact.
        var body = Substring(text)
        var offsetSeconds: Int?
        if body.hasSuffix("Z") || body.hasSuffix("z") {
            body = body.dropLast()
            offsetSeconds = 0
        } else if body.count > 6 {
            let tail = body.suffix(6)
            let chars = Array(tail)
            if (chars[0] == "+" || chars[0] == "-"), chars[3] == ":",
               let h = Int(String(chars[1...2])), let m = Int(String(chars[4...5])), h < 24, m < 60 {
                offsetSeconds = (chars[0] == "-" ? -1 : 1) * (h * 3600 + m * 60)
                body = body.dropLast(6)
            }
        }
        guard let offsetSeconds, body.contains("T") || body.contains(" "),
              let local = LocalDateTime(parsing: body)
        else { return nil }
        let instant = Date(timeIntervalSince1970: Double(local.secondsAsIfUTC - offsetSeconds))
        self = .absolute(instant, text: text)
    }

    public func date(in timeZone: TimeZone) -> Date {
        switch self {
        case .local(let local): local.date(in: timeZone)
        case .absolute(let date, _): date
        }
    }

    public var description: String {
        switch self {
        case .local(let local): local.description
        case .absolute(_, let text): text
        }
    }
}
