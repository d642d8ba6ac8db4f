@testable import CalltrailReports
import Foundation
import Testing

/// by_week's `week` label: the ISO week of its Monday, the week's Thursday deciding its year, as
/// Foundation's ISO 8601 calendar numbers it, across year ends with 52 and 53 weeks.
@Suite struct ISOWeekTests {
    @Test func everyMondayFrom2019To2031IsNumberedAsTheISOCalendarDoes() {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var monday = DateComponents(calendar: calendar, year: 2018, month: 12, day: 31).date!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        var checked = 0
        while monday < DateComponents(calendar: calendar, year: 2032, month: 1, day: 1).date! {
            let want = String(format: "%04d-W%02d", calendar.component(.yearForWeekOfYear, from: monday), calendar.component(.weekOfYear, from: monday))
            #expect(InboundGrainRows.isoWeek(monday: formatter.string(from: monday)) == want)
            monday = monday.addingTimeInterval(7 * 86_400)
            checked += 1
        }
        #expect(checked > 600)
        #expect(InboundGrainRows.isoWeek(monday: "2020-12-28") == "2020-W53")
        #expect(InboundGrainRows.isoWeek(monday: "2025-12-29") == "2026-W01")
    }
}
