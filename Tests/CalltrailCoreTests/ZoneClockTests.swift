import CalltrailCore
import Foundation
import Testing

/// The remembered-offset clock must give exactly what `LocalDateTime.date(in:)` gives, DST gaps and
/// overlaps included, whatever order the times come in.
@Suite struct ZoneClockTests {
    @Test(arguments: ["America/New_York", "Australia/Lord_Howe", "America/Montevideo", "Europe/London", "Asia/Kathmandu"])
    func agreesWithTheExactConversionThroughAYearOfSevenMinuteSteps(zone: String) {
        let timeZone = TimeZone(identifier: zone)!
        let clock = ZoneClock(timeZone)
        let utc = TimeZone(identifier: "UTC")!
        var mismatches: [String] = []
        // 2014 (Montevideo still had DST) and 2024, every 7 minutes, at 13 seconds past.
        for year in [2014, 2024] {
            let start = LocalDateTime(year: year, month: 1, day: 1).date(in: utc)
            for step in stride(from: 0, to: 366 * 24 * 60, by: 7) {
                let local = LocalDateTime(start.addingTimeInterval(Double(step * 60 + 13)), in: utc)
                if clock.date(local) != local.date(in: timeZone) { mismatches.append(local.description) }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func gapAndOverlapHoursReadAsTheExactRuleSays() {
        let newYork = TimeZone(identifier: "America/New_York")!
        let clock = ZoneClock(newYork)
        // 2024-03-10 02:30 does not exist (read with the offset before, -05:00); 2024-11-03 01:30 happens
        // twice (the first, -04:00, is taken). Asked twice: the second answer comes from the cache.
        for _ in 0..<2 {
            #expect(clock.date(LocalDateTime(year: 2024, month: 3, day: 10, hour: 2, minute: 30)).timeIntervalSince1970 == 1_710_055_800)
            #expect(clock.date(LocalDateTime(year: 2024, month: 11, day: 3, hour: 1, minute: 30)).timeIntervalSince1970 == 1_730_611_800)
        }
    }
}
