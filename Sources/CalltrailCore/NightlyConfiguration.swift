import Foundation

/// `[nightly]`: how long each stage of `calltrail nightly` may run. A stage past its deadline ends as a
/// failure (named in the JSON line) and the next stage runs: a silent vendor or warehouse never holds
/// the night, and its run lock, for good.
public struct NightlyConfiguration: Sendable, Equatable {
    public static let stages = ["sync", "recordings", "retention", "publish", "report"]
    /// Every stage's deadline unless its own is set.
    public var deadline: TimeInterval
    /// Per stage, by name.
    public var stageDeadlines: [String: TimeInterval]
    /// Last week's report on Mondays and last month's on the 1st, beside yesterday's (`weekly_report`,
    /// `monthly_report`; both on unless set false).
    public var weeklyReport = true
    public var monthlyReport = true

    public init(deadline: TimeInterval = 4 * 3600, stageDeadlines: [String: TimeInterval] = [:]) {
        self.deadline = deadline
        self.stageDeadlines = stageDeadlines
    }

    public func deadline(of stage: String) -> TimeInterval { stageDeadlines[stage] ?? deadline }

    init(reading reader: TableReader) throws {
        let allowed = ["deadline_minutes", "weekly_report", "monthly_report"] + Self.stages.map { "\($0)_deadline_minutes" }
        if let unknown = reader.keys.first(where: { !allowed.contains($0) }) {
            throw CalltrailError.configuration("\(reader.context) has no key \(unknown): use \(allowed.joined(separator: ", "))")
        }
        let range = 0.05...10_080.0
        deadline = try reader.double("deadline_minutes", default: 240, range: range) * 60
        stageDeadlines = [:]
        weeklyReport = try reader.bool("weekly_report", default: true)
        monthlyReport = try reader.bool("monthly_report", default: true)
        for stage in Self.stages where reader.has("\(stage)_deadline_minutes") {
            stageDeadlines[stage] = try reader.double("\(stage)_deadline_minutes", default: 240, range: range) * 60
        }
    }
}
