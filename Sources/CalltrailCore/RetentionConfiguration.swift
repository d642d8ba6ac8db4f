import Foundation

/// `[retention]`: how long recordings and calls are kept, with overrides per source and queue
/// (`[[retention.override]]`). Off when the table is absent: the archive then only grows.
public struct RetentionConfiguration: Sendable, Equatable {
    /// One override: the most specific that matches a call decides (source and queue, then queue,
    /// then source), a days value it leaves out falls back to the next.
    public struct Override: Sendable, Equatable {
        public var source: String?
        public var queue: String?
        public var recordingsDays: Int?
        public var callsDays: Int?

        public init(source: String? = nil, queue: String? = nil, recordingsDays: Int? = nil, callsDays: Int? = nil) {
            self.source = source
            self.queue = queue
            self.recordingsDays = recordingsDays
            self.callsDays = callsDays
        }

        var specificity: Int { (source != nil ? 1 : 0) + (queue != nil ? 2 : 0) }

        /// `source ucontact queue Ventas->`: how the rule is named in the ledger and the audit log.
        var name: String {
            [source.map { "source \($0)" }, queue.map { "queue \($0)" }].compactMap { $0 }.joined(separator: " ")
        }
    }

    public var recordingsDays: Int?
    public var callsDays: Int?
    public var overrides: [Override]

    public init(recordingsDays: Int? = nil, callsDays: Int? = nil, overrides: [Override] = []) {
        self.recordingsDays = recordingsDays
        self.callsDays = callsDays
        self.overrides = overrides
    }

    /// The rule that decides a call's recording or call row: its days and its name.
    public struct Rule: Sendable, Equatable {
        public var days: Int
        public var name: String
    }

    public func recordingsRule(source: String, queue: String?) -> Rule? {
        rule(source: source, queue: queue, \.recordingsDays, \.recordingsDays, "recordings_days")
    }

    public func callsRule(source: String, queue: String?) -> Rule? {
        rule(source: source, queue: queue, \.callsDays, \.callsDays, "calls_days")
    }

    private func rule(source: String, queue: String?, _ own: KeyPath<Override, Int?>, _ general: KeyPath<Self, Int?>, _ key: String) -> Rule? {
        let matching = overrides.filter { ($0.source == nil || $0.source == source) && ($0.queue == nil || $0.queue == queue) }
            .sorted { $0.specificity > $1.specificity }
        if let override = matching.first(where: { $0[keyPath: own] != nil }), let days = override[keyPath: own] {
            return Rule(days: days, name: "retention \(override.name): \(key) \(days)")
        }
        return self[keyPath: general].map { Rule(days: $0, name: "retention: \(key) \($0)") }
    }

    public var isEmpty: Bool { recordingsDays == nil && callsDays == nil && overrides.isEmpty }

    /// The fewest days any rule keeps recordings, or calls; nil when no rule sets them. A purge need not
    /// look at anything younger.
    public var shortestRecordingsDays: Int? { ([recordingsDays] + overrides.map(\.recordingsDays)).compactMap { $0 }.min() }
    public var shortestCallsDays: Int? { ([callsDays] + overrides.map(\.callsDays)).compactMap { $0 }.min() }

    init(reading reader: TableReader) throws {
        let range = 1...36_500
        recordingsDays = reader.has("recordings_days") ? try reader.int("recordings_days", default: 365, range: range) : nil
        callsDays = reader.has("calls_days") ? try reader.int("calls_days", default: 1095, range: range) : nil
        overrides = []
        for key in reader.keys where !["recordings_days", "calls_days", "override"].contains(key) {
            throw CalltrailError.configuration("\(reader.context) has no key \(key): use recordings_days, calls_days or [[retention.override]]")
        }
        for (index, table) in try reader.tables("override", example: "[[retention.override]]").enumerated() {
            let context = "\(reader.context) override #\(index + 1)"
            for key in table.keys where !["source", "queue", "recordings_days", "calls_days"].contains(key) {
                throw CalltrailError.configuration("\(context) has no key \(key): use source, queue, recordings_days, calls_days")
            }
            let override = Override(
                source: try table.optionalString("source"), queue: try table.optionalString("queue"),
                recordingsDays: table.has("recordings_days") ? try table.int("recordings_days", default: 90, range: range) : nil,
                callsDays: table.has("calls_days") ? try table.int("calls_days", default: 365, range: range) : nil)
            guard override.source != nil || override.queue != nil else {
                throw CalltrailError.configuration("\(context) applies to nothing: add source = \"…\" or queue = \"…\"")
            }
            guard override.recordingsDays != nil || override.callsDays != nil else {
                throw CalltrailError.configuration("\(context) sets no days: add recordings_days = 90 or calls_days = 365")
            }
            overrides.append(override)
        }
        if let recordings = recordingsDays, let calls = callsDays, calls < recordings {
            throw CalltrailError.configuration(
                "\(reader.context): calls_days \(calls) is shorter than recordings_days \(recordings): a recording outlives its call; raise calls_days")
        }
    }
}
