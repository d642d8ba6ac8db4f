import CalltrailArchive
import CalltrailCore
import CalltrailStore
import Foundation
import GRDB

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
        return try await store.read { db in
            var plan = Plan()
            let held = LegalHold.held("c")
            // The stored recordings old enough for the shortest rule, with their call and whether a hold
            // covers it. They are found by their call's instant (`call_at`, the ledger's time index) and
            // their call by its key: reading every stored recording and looking each call up took 73 s a
            // night at 12 M calls, with nothing to purge. A call counts from its start; its instant is when
            // it was offered, later by its IVR time: a day's margin keeps every call that waited less.
            guard let shortestDays = [retention.shortestRecordingsDays, retention.shortestCallsDays].compactMap({ $0 }).min() else { return plan }
            let recordings = try Row.fetchAll(db, sql: """
                SELECT r.source, r.call_id, r.path, r.bytes, c.queue, c.started_at, \(held) AS held
                FROM recordings r
                JOIN calls c ON \(CallKey.sqlMatch("c", source: "r.source", callID: "r.call_id"))
                WHERE r.state IN ('found', 'converted') AND r.path IS NOT NULL AND (r.call_at < ? OR r.call_at IS NULL)
                ORDER BY c.started_at
                """, arguments: [now.timeIntervalSince1970 - Double(shortestDays - 1) * 86_400])
            for row in recordings {
                let source: String = row["source"], queue: String? = row["queue"]
                let age = now.timeIntervalSince1970 - (row["started_at"] as Double)
                // A call past its calls_days takes its recording with it.
                let rules = [retention.recordingsRule(source: source, queue: queue), retention.callsRule(source: source, queue: queue)]
                guard let rule = rules.compactMap({ $0 }).first(where: { age > Double($0.days) * 86_400 }) else { continue }
                if row["held"] as Bool {
                    plan.heldRecordings += 1
                    continue
                }
                plan.recordings.append(.init(source: source, callID: row["call_id"], path: row["path"], bytes: row["bytes"] ?? 0, rule: rule.name))
            }
            // Calls: only those older than the shortest calls_days configured are read.
            guard let shortest = retention.shortestCallsDays else { return plan }
            plan.shortestCallsDays = shortest
            let calls = try Row.fetchAll(db, sql: """
                SELECT c.source, c.call_id, c.queue, c.started_at, \(held) AS held FROM calls c WHERE c.started_at < ?
                """, arguments: [now.timeIntervalSince1970 - Double(shortest) * 86_400])
            for row in calls {
                let source: String = row["source"]
                guard let rule = retention.callsRule(source: source, queue: row["queue"]),
                      now.timeIntervalSince1970 - (row["started_at"] as Double) > Double(rule.days) * 86_400 else { continue }
                if row["held"] as Bool {
                    plan.heldCalls += 1
                    continue
                }
                plan.calls.append(.init(source: source, callID: row["call_id"], rule: rule.name))
            }
            return plan
        }
    }

    public struct Result: Sendable {
        public var plan: Plan
        public var removedBytes: Int
    }

    /// Applies a plan: the ledger rows, the calls and the audit row in one transaction, then the files.
    public func run(now: Date = Date(), user: String = OSUser.name) async throws -> Result {
        let plan = try await plan(now: now)
        try await store.write { db in
            let mark = try db.makeStatement(sql: """
                UPDATE recordings SET state = 'purged', removed_at = ?, removed_by = ?, updated_at = ? WHERE source = ? AND call_id = ?
                """)
            for recording in plan.recordings {
                try mark.execute(arguments: [now.timeIntervalSince1970, recording.rule, now.timeIntervalSince1970, recording.source, recording.callID])
            }
            // Through the key's index (without it each delete read the whole table).
            let delete = try db.makeStatement(sql: "DELETE FROM calls WHERE \(CallKey.sqlMatch(source: "?1", callID: "?2"))")
            let tombstone = try db.makeStatement(sql: "INSERT INTO removed_calls (source, call_id, removed_at, removed_by) VALUES (?, ?, ?, ?)")
            for call in plan.calls {
                try delete.execute(arguments: [call.source, call.callID])
                try tombstone.execute(arguments: [call.source, call.callID, now.timeIntervalSince1970, call.rule])
            }
            if !plan.calls.isEmpty {
                // Vendor pages no call points at any more, read in windows older than the shortest
                // calls_days, and the failed records of that time, go with them (a recent window's
                // earlier reads stay). NOT IN builds the set of pointed-at pages once; calls has no
                // index on raw_page for a per-page lookup.
                let cutoff = now.timeIntervalSince1970 - Double(plan.shortestCallsDays) * 86_400
                try db.execute(sql: """
                    DELETE FROM raw_pages WHERE window_start < ? AND id NOT IN (SELECT raw_page FROM calls WHERE raw_page IS NOT NULL)
                    """, arguments: [cutoff])
                try db.execute(sql: "DELETE FROM raw_records WHERE decode_error IS NOT NULL AND window_start < ?", arguments: [cutoff])
            }
            let detail = try JSONSerialization.data(withJSONObject: [
                "recordings": plan.recordings.count, "calls": plan.calls.count, "bytes": plan.bytes,
                "held_recordings": plan.heldRecordings, "held_calls": plan.heldCalls, "rules": plan.rules,
            ], options: [.sortedKeys])
            try CallStore.appendAudit(AuditEntry(at: now, osUser: user, action: "purge", filters: "{}",
                                                 count: plan.recordings.count + plan.calls.count,
                                                 detail: String(decoding: detail, as: UTF8.self)), db, audit: store.audit)
        }
        return Result(plan: plan, removedBytes: try await ArchivedFiles.removeLeftovers(of: store, in: archive))
    }
}
