import CalltrailCore
import Foundation
import Testing

@Suite struct LocalDateTimeTests {
    let newYork = TimeZone(identifier: "America/New_York")!
    let montevideo = TimeZone(identifier: "America/Montevideo")!

    @Test func parsesTheFormsVendorsWrite() throws {
        #expect(LocalDateTime(parsing: "2016-01-18 14:05:09") == LocalDateTime(year: 2016, month: 1, day: 18, hour: 14, minute: 5, second: 9))
        #expect(LocalDateTime(parsing: "2016-01-18T14:05") == LocalDateTime(year: 2016, month: 1, day: 18, hour: 14, minute: 5))
        #expect(LocalDateTime(parsing: "2016-01-18") == LocalDateTime(year: 2016, month: 1, day: 18))
        #expect(LocalDateTime(parsing: "2024-02-29 00:00:00") != nil)
    }

    @Test(arguments: ["2026-02-30 10:00:00", "2025-02-29", "2026-13-01", "2026-01-01 24:00:00", "2026-01-01 10:60", "yesterday", "2026-1-1", "", "2026-01-01 10:00:00Z"])
    func rejectsImpossibleDates(_ text: String) {
        #expect(LocalDateTime(parsing: text) == nil)
    }

    @Test func roundTripsThroughATimeZone() {
        let local = LocalDateTime(year: 2026, month: 3, day: 1, hour: 23, minute: 59, second: 50)
        let date = local.date(in: montevideo)
        // Montevideo is UTC−3 all year since 2015.
        #expect(date.timeIntervalSince1970 == 1_772_420_390)
        #expect(LocalDateTime(date, in: montevideo) == local)
        #expect(local.description == "2026-03-01 23:59:50")
        #expect(local.compactDay == "20260301")
    }

    @Test func springForwardGapUsesTheOffsetBeforeTheChange() {
        // 2026-03-08 02:30 does not exist in New York (02:00 EST → 03:00 EDT).
        let gap = LocalDateTime(year: 2026, month: 3, day: 8, hour: 2, minute: 30).date(in: newYork)
        #expect(LocalDateTime(gap, in: newYork) == LocalDateTime(year: 2026, month: 3, day: 8, hour: 3, minute: 30))
        // Just after the change the EDT offset applies.
        let after = LocalDateTime(year: 2026, month: 3, day: 8, hour: 3, minute: 0).date(in: newYork)
        #expect(after.timeIntervalSince1970 == 1_772_953_200)
    }

    @Test func fallBackOverlapTakesTheFirstInstant() {
        // 2026-11-01 01:30 happens twice in New York; the EDT one (05:30Z) comes first.
        let overlap = LocalDateTime(year: 2026, month: 11, day: 1, hour: 1, minute: 30).date(in: newYork)
        #expect(overlap.timeIntervalSince1970 == 1_793_511_000)
        let later = LocalDateTime(year: 2026, month: 11, day: 1, hour: 3, minute: 0).date(in: newYork)
        #expect(LocalDateTime(later, in: newYork).hour == 3)
    }

    @Test func timePointsWithOffsetsAreExact() throws {
        let point = try #require(TimePoint(parsing: "2026-03-01T08:00:00+01:00"))
        #expect(point.date(in: montevideo).timeIntervalSince1970 == 1_772_348_400)
        #expect(TimePoint(parsing: "2026-03-01T07:00:00Z")?.date(in: newYork) == point.date(in: newYork))
        #expect(TimePoint(parsing: "2026-03-01") == .local(LocalDateTime(year: 2026, month: 3, day: 1)))
        #expect(TimePoint(parsing: "March 1st") == nil)
        #expect(TimePoint(parsing: "2026-03-01T08:00:00+25:00") == nil)
    }
}

@Suite struct FractionalSecondsTests {
    @Test func fractionalSecondsAreDropped() throws {
        let utc = TimeZone(identifier: "UTC")!
        #expect(TimePoint(parsing: "2018-06-07T19:49:52.896Z")?.date(in: utc).timeIntervalSince1970 == 1_528_400_992)
        #expect(TimePoint(parsing: "2018-06-07T19:49:52.5+02:00")?.date(in: utc).timeIntervalSince1970 == 1_528_393_792)
        #expect(TimePoint(parsing: "2018-06-07T19:49:52.Z") == nil)
    }
}
