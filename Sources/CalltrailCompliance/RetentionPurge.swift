import CalltrailArchive
import CalltrailCore
import CalltrailStore
import Foundation

/// `recordings purge` and the nightly `retention` stage: removes archived recordings, and calls,
/// older than `[retention]` keeps them, except what a legal hold covers. Each purged recording keeps
/// its ledger row as `purged` with when, under which rule, and its sha256; the audit log gets one
/// row per run. The ledger is marked first, in one transaction with the audit row, then the files go:
/// a run killed in between leaves files of `purged` rows, which the next run removes.
public struct RetentionPurge: Sendable {
    public let store: CallStore
    public let archive: RecordingArchive
    public let retention: RetentionConfiguration
    /// The center's numbering settings, under which a hold's number is matched to the calls'.
    public let numbers: NumberPlan

    public init(store: CallStore, archive: RecordingArchive, retention: RetentionConfiguration, numbers: NumberPlan) {
        self.store = store
        self.archive = archive
        self.retention = retention
        self.numbers = numbers
    }

    /// What one run removes, or would remove.
    public struct Plan: Sendable {
        public struct Recording: Sendable {
            public var source: String
            public var callID: String
            public var path: String
            public var bytes: Int
            public var rule: String
        }

        public struct Call: Sendable {
            public var source: String
            public var callID: String
            public var rule: String
        }

        public var recordings: [Recording] = []
        public var calls: [Call] = []
        /// Past retention but under a legal hold: kept.
        public var heldRecordings = 0
        public var heldCalls = 0
        /// The shortest calls_days configured: vendor pages of windows older than it may go.
        public var shortestCallsDays = Int.max

        public var bytes: Int { recordings.reduce(0) { $0 + $1.bytes } }

        /// Counts per rule, for the summary line.
        public var rules: [String: Int] {
            var counts: [String: Int] = [:]
            for recording in recordings { counts[recording.rule, default: 0] += 1 }
            for call in calls { counts[call.rule, default: 0] += 1 }
            return counts
        }
    }

    public func plan(now: Date = Date()) async throws -> Plan {
        let retention = retention
        // Calls synced since the last match get their E.164 number, so a hold by number covers them.
        try await store.normalizeNumbers(adopting: numbers)
        var plan = Plan()
        // A call counts from its start; its instant is when it was offered, later by its IVR time: a
        // day's margin keeps every call that waited less.
        guard let shortestDays = [retention.shortestRecordingsDays, retention.shortestCallsDays].compactMap({ $0 }).min() else { return plan }
        let (recordings, calls) = try await store.retentionCandidates(
            recordingsBefore: now.timeIntervalSince1970 - Double(shortestDays - 1) * 86_400,
            callsBefore: retention.shortestCallsDays.map { now.timeIntervalSince1970 - Double($0) * 86_400 })
        for recording in recordings {
            let age = now.timeIntervalSince1970 - recording.startedAt
            // A call past its calls_days takes its recording with it.
            let rules = [retention.recordingsRule(source: recording.source, queue: recording.queue),
                         retention.callsRule(source: recording.source, queue: recording.queue)]
            guard let rule = rules.compactMap({ $0 }).first(where: { age > Double($0.days) * 86_400 }) else { continue }
            if recording.held {
                plan.heldRecordings += 1
                continue
            }
            plan.recordings.append(.init(source: recording.source, callID: recording.callID, path: recording.path ?? "", bytes: recording.bytes,
                                         rule: rule.name))
        }
        // Calls: only those older than the shortest calls_days configured are read.
        guard let shortest = retention.shortestCallsDays else { return plan }
        plan.shortestCallsDays = shortest
        for call in calls {
            guard let rule = retention.callsRule(source: call.source, queue: call.queue),
                  now.timeIntervalSince1970 - call.startedAt > Double(rule.days) * 86_400 else { continue }
            if call.held {
                plan.heldCalls += 1
                continue
            }
            plan.calls.append(.init(source: call.source, callID: call.callID, rule: rule.name))
        }
        return plan
    }

    public struct Result: Sendable {
        public var plan: Plan
        public var removedBytes: Int
    }

    /// Applies a plan: the ledger rows, the calls and the audit row in one transaction, then the files.
    public func run(now: Date = Date(), user: String = OSUser.name) async throws -> Result {
        let plan = try await plan(now: now)
        let detail = try JSONSerialization.data(withJSONObject: [
            "recordings": plan.recordings.count, "calls": plan.calls.count, "bytes": plan.bytes,
            "held_recordings": plan.heldRecordings, "held_calls": plan.heldCalls, "rules": plan.rules,
        ], options: [.sortedKeys])
        // Vendor pages of windows older than the shortest calls_days may go with their calls.
        try await store.recordPurge(
            recordings: plan.recordings.map { ($0.source, $0.callID, $0.rule) }, calls: plan.calls.map { ($0.source, $0.callID, $0.rule) },
            pagesBefore: plan.shortestCallsDays == .max ? nil : now.timeIntervalSince1970 - Double(plan.shortestCallsDays) * 86_400, at: now,
            audit: AuditEntry(at: now, osUser: user, action: "purge", filters: "{}", count: plan.recordings.count + plan.calls.count,
                              detail: String(decoding: detail, as: UTF8.self)))
        return Result(plan: plan, removedBytes: try await ArchivedFiles.removeLeftovers(of: store, in: archive))
    }
}
