import Foundation

/// The one way a number from outside (a vendor body or header, a file, a configuration value) becomes an
/// integer or a duration. `Int(someDouble)` traps on infinity, NaN and anything past ±2⁶³; a vendor that
/// sends `1e20` or `inf` must cost a page, a record or a file its error, never the process.
public enum CheckedNumber {
    /// A received value that is not a number in the range the field allows: one line naming the field,
    /// the value as sent (cut short) and what was expected.
    public struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        public let field: String
        public let value: String
        public let expected: String

        public init(field: String, value: String, expected: String) {
            self.field = field
            self.value = value
            self.expected = expected
        }

        public var description: String {
            let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
            return "\(field) '\(shown)' is not \(expected)"
        }
    }

    /// `value` as an integer in `range`: finite, whole (a fraction is refused, not rounded) and inside the
    /// range. Nil `value` (a field that was not a number at all) is refused too, `shown` naming it.
    public static func integer(_ value: Double?, field: String, in range: ClosedRange<Int>, shown: String? = nil) throws -> Int {
        let expected = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard let value, value.isFinite, value.rounded() == value,
              value >= Double(range.lowerBound), value <= Double(range.upperBound),
              let integer = Int(exactly: value), range.contains(integer)
        else { throw Invalid(field: field, value: shown ?? value.map { "\($0)" } ?? "", expected: expected) }
        return integer
    }

    /// Decimal digits (an optional sign, surrounding spaces allowed) as an integer in `range`: a header
    /// such as `Content-Length`, `Total` or a `Content-Range` bound. Anything else, or a value past the
    /// range (however many digits), is refused.
    public static func integer(text: String?, field: String, in range: ClosedRange<Int>) throws -> Int {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard let integer = Int(trimmed), range.contains(integer) else {
            throw Invalid(field: field, value: trimmed, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return integer
    }

    /// `value` seconds as a duration in `0...max`: finite and not negative (fractions kept).
    public static func seconds(_ value: Double?, field: String, max: TimeInterval, shown: String? = nil) throws -> TimeInterval {
        guard let value, value.isFinite, value >= 0, value <= max else {
            throw Invalid(field: field, value: shown ?? value.map { "\($0)" } ?? "",
                          expected: "a number of seconds from 0 to \(Int(max))")
        }
        return value
    }

    /// Whole milliseconds of a checked duration, for timers: cannot trap, since `seconds` is finite and
    /// bounded by the caller's check (values past a year are clamped there).
    public static func milliseconds(_ seconds: TimeInterval) -> Int64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int64(min(seconds, 365 * 86_400) * 1000)
    }

    /// A count read from a vendor (a total, a page count, a campaign's calls): 0 to 10⁹ (no contact
    /// center's window or day reaches a billion records).
    public static let counts: ClosedRange<Int> = 0...1_000_000_000
}
