import Foundation

/// A wall-clock date and time without an offset, as vendors such as uContact write them
/// ("2016-01-18 14:05:09"). Parsed by hand: Foundation's formatters manage ≈ 26 k/s on Linux.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` and `YYYY-MM-DD HH:MM:SS` (a `T` may stand for the space).
    /// Returns nil for anything else, including impossible dates such as 2026-02-30 or 24:00.
    public init?(parsing text: some StringProtocol) {
        // Read in place where the text is contiguous UTF-8 (a native string): no copy per record.
        let parsed = text.utf8.withContiguousStorageIfAvailable { Self.parse($0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { Self.parse($0) }
        guard let parsed else { return nil }
        self = parsed
    }

    private static func parse(_ all: UnsafeBufferPointer<UInt8>) -> LocalDateTime? {
        var count = all.count
        while count > 0, all[count - 1] == UInt8(ascii: " ") { count -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: all[0..<count])
        func number(_ from: Int, _ width: Int) -> Int? {
            guard from + width <= bytes.count else { return nil }
            var value = 0
            for index in from..<(from + width) {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        if bytes.count > 10 {
            guard bytes.count == 16 || bytes.count == 19,
                  bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
                  bytes[13] == UInt8(ascii: ":"),
                  let h = number(11, 2), let m = number(14, 2)
            else { return nil }
            hour = h
            minute = m
            if bytes.count == 19 {
                guard bytes[16] == UInt8(ascii: ":"), let s = number(17, 2) else { return nil }
                second = s
            }
        }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        return LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The wall clock that `date` shows in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let seconds = Int(floor(date.timeIntervalSince1970)) + timeZone.secondsFromGMT(for: date)
        let days = Self.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = Self.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: secondOfDay / 3600,
                  minute: secondOfDay % 3600 / 60, second: secondOfDay % 60)
    }

    /// The wall clock of `seconds` since 1970 read as UTC (no time-zone lookup): what SQLite's
    /// `strftime(…, x, 'unixepoch')` shows of `x`.
    public init(utcSeconds seconds: Int) {
        let days = Self.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = Self.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60, second: secondOfDay % 60)
    }

    /// The instant this wall clock denotes in `timeZone`. In a DST gap the clock is read with the
    /// offset in force before the change; in an overlap, the first of the two instants is taken.
    public func date(in timeZone: TimeZone) -> Date {
        Date(timeIntervalSince1970: Double(Self.instant(naive: secondsAsIfUTC, in: timeZone)))
    }

    /// `date(in:)` for a wall clock given as seconds since 1970-01-01 00:00 read as if UTC.
    static func instant(naive: Int, in timeZone: TimeZone) -> Int {
        let before = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(naive - 86_400)))
        let candidate = naive - before
        let actual = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(candidate)))
        if actual == before { return candidate }
        // The offset changed within the last day. An overlap was settled above (the earlier offset
        // still holds at the candidate); here the clock is after the change, or inside its gap.
        let shifted = naive - actual
        if timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(shifted))) == actual { return shifted }
        return candidate
    }

    /// "YYYY-MM-DD HH:MM:SS", the form uContact expects in its filter.
    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }

    /// "YYYYMMDD", the day folder of uContact's recording locations.
    public var compactDay: String {
        String(description.prefix(10)).replacingOccurrences(of: "-", with: "")
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        lhs.secondsAsIfUTC < rhs.secondsAsIfUTC
    }

    var secondsAsIfUTC: Int {
        Self.days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Division rounding toward minus infinity (seconds before 1970 belong to the day before).
    public static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    /// The remainder of `floorDiv`: in `0..<b`.
    public static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
