import Foundation

/// What one stage of the nightly run did.
public struct StageSummary: Codable, Sendable, Equatable {
    public var stage: String
    public var seconds: Double
    public var counts: [String: Int]
    public var failures: Int
    /// The first failure, one line, never a credential.
    public var error: String?
    /// What did not fail the stage but an operator should see (an optional figure that failed).
    public var warnings: [String]

    public init(stage: String, seconds: Double = 0, counts: [String: Int] = [:], failures: Int = 0, error: String? = nil,
                warnings: [String] = []) {
        self.stage = stage
        self.seconds = seconds
        self.counts = counts
        self.failures = failures
        self.error = error
        self.warnings = warnings
    }
}

/// The one-line JSON summary `calltrail nightly` prints last.
public struct NightlySummary: Codable, Sendable, Equatable {
    public var status: String
    public var exitCode: Int32
    public var seconds: Double
    public var stages: [StageSummary]
    public var report: String?
    /// Every stage's warnings, each with its source: what a cron job shows without failing the night.
    public var warnings: [String] { stages.flatMap(\.warnings) }

    enum CodingKeys: String, CodingKey { case status, exitCode, seconds, stages, report, warnings }

    public init(status: String, exitCode: Int32, seconds: Double, stages: [StageSummary], report: String?) {
        self.status = status
        self.exitCode = exitCode
        self.seconds = seconds
        self.stages = stages
        self.report = report
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(String.self, forKey: .status)
        exitCode = try container.decode(Int32.self, forKey: .exitCode)
        seconds = try container.decode(Double.self, forKey: .seconds)
        stages = try container.decode([StageSummary].self, forKey: .stages)
        report = try container.decodeIfPresent(String.self, forKey: .report)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(stages, forKey: .stages)
        try container.encodeIfPresent(report, forKey: .report)
        try container.encode(warnings, forKey: .warnings)
    }

    /// One human line per stage, for a terminal.
    public var stageLines: [String] {
        stages.map { stage in
            let counts = stage.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(stage.stage): \(counts)\(stage.failures > 0 ? " — \(stage.failures) failed: \(stage.error ?? "")" : "")"
        }
    }

    public var line: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var rounded = self
        rounded.seconds = (seconds * 10).rounded() / 10
        for index in rounded.stages.indices { rounded.stages[index].seconds = (rounded.stages[index].seconds * 10).rounded() / 10 }
        return String(decoding: (try? encoder.encode(rounded)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
