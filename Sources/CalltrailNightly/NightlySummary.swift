import Foundation

/// What one stage of the nightly run did.
public struct StageSummary: Codable, Sendable, Equatable {
    public var stage: String
    public var seconds: Double
    public var counts: [String: Int]
    public var failures: Int
    /// The first failure, one line, never a credential.
    public var error: String?

    public init(stage: String, seconds: Double = 0, counts: [String: Int] = [:], failures: Int = 0, error: String? = nil) {
        self.stage = stage
        self.seconds = seconds
        self.counts = counts
        self.failures = failures
        self.error = error
    }
}

/// The one-line JSON summary `calltrail nightly` prints last.
public struct NightlySummary: Codable, Sendable, Equatable {
    public var status: String
    public var exitCode: Int32
    public var seconds: Double
    public var stages: [StageSummary]
    public var report: String?

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
