import CalltrailCore
import Foundation
import GRDB

/// One agent tally as a report reads it (`CallStore.scanAgentTallies`): the calls an agent answered and
/// made in one slot, for one queue, with the T of that queue and the answered calls' waits.
public struct ScannedAgentTally: Sendable {
    public var source = ""
    public var agent = ""
    /// T: the queue's own (`queue_settings`), else the scope's.
    public var threshold = 0.0
    public var answered = 0
    /// Answered calls with a wait, and their waits' sum.
    public var answeredWaited = 0, answeredWait = 0.0
    public var maxWait: Double?
    /// Answered calls' talk + hold + wrap, talk, and hold.
    public var handle = 0.0, talk = 0.0, hold = 0.0
    public var outboundAttempts = 0, outboundConnected = 0
    /// Each distinct wait of its answered calls with their count; nil: answered without a wait.
    public var answeredWaits: [(wait: Double?, calls: Int)] = []

    public init() {}
}

/// What a scan hands the agent tallies to, on its reading thread.
public protocol AgentTallyScanSink: AnyObject, Sendable {
    func take(_ tally: ScannedAgentTally) throws
}

/// Reads the agent tallies of `[from, to)` in slot order, each with its waits: by_agent's figures for a
/// year are 400 k tallies and 3.9 M wait rows, read once (its query, which groups and sorts the waits
/// three times, takes 8.5 s).
struct AgentTallyScan {
    static let tallies = """
        SELECT t.id, t.source, t.agent, coalesce(q.threshold_s, :threshold), t.answered, t.answered_waited, t.answered_wait_s,
               t.max_wait_s, t.handle_s, t.talk_s, t.hold_s, t.outbound_attempts, t.outbound_connected
        FROM agent_tallies t LEFT JOIN queue_settings q ON q.queue = t.queue
        WHERE t.slot_utc >= :from AND t.slot_utc < :to
          AND (:queues IS NULL OR t.queue IN (SELECT value FROM json_each(:queues)))
        ORDER BY t.slot_utc, t.id
        """

    static let waits = """
        SELECT t.id, w.wait_s, w.calls
        FROM agent_tallies t JOIN agent_tally_waits w ON w.tally = t.id
        WHERE t.slot_utc >= :from AND t.slot_utc < :to
          AND (:queues IS NULL OR t.queue IN (SELECT value FROM json_each(:queues)))
        ORDER BY t.slot_utc, t.id
        """

    static func forEach(_ db: Database, _ scope: TallyScope, _ body: (ScannedAgentTally) throws -> Void) throws {
        let scoped: [String: (any DatabaseValueConvertible)?] = [
            "from": scope.from.timeIntervalSince1970, "to": scope.to.timeIntervalSince1970, "queues": try scope.queuesJSON,
        ]
        let talliesStatement = try db.makeStatement(sql: tallies)
        try talliesStatement.setArguments(StatementArguments(scoped.merging(["threshold": scope.threshold]) { $1 }))
        let waitsStatement = try db.makeStatement(sql: waits)
        try waitsStatement.setArguments(StatementArguments(scoped))
        var tally = ScannedAgentTally()
        try TalliesWithWaits.forEach(tallies: talliesStatement, waits: waitsStatement) { row in
            tally.source = row.text(1) ?? ""
            tally.agent = row.text(2) ?? ""
            tally.threshold = row.double(3)
            (tally.answered, tally.answeredWaited, tally.answeredWait) = (row.int(4), row.int(5), row.double(6))
            tally.maxWait = row.real(7)
            (tally.handle, tally.talk, tally.hold) = (row.double(8), row.double(9), row.double(10))
            (tally.outboundAttempts, tally.outboundConnected) = (row.int(11), row.int(12))
            tally.answeredWaits.removeAll(keepingCapacity: true)
        } wait: { row in
            tally.answeredWaits.append((row.real(1), row.int(2)))
        } ended: {
            try body(tally)
        }
    }
}

extension CallStore {
    /// Hands the agent tallies of `scope` (its zone unused: agent tallies are summed per agent) to `sink`
    /// in slot order, read on one reader connection; refreshed first unless the caller just did.
    public func scanAgentTallies(_ scope: TallyScope, refreshed: Bool = false, into sink: AgentTallyScanSink) async throws {
        if !refreshed {
            try await ensureTimeZone(scope.zone)
            try await refreshTallies(keepingTheirZoneOr: scope.zone)
        }
        try await read { db in try AgentTallyScan.forEach(db, scope) { try sink.take($0) } }
    }

    /// Each agent's name by source and agent id (source_agents), where the vendor lists one.
    public func agentNames() async throws -> [String: [String: String]] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT source, agent_id, name FROM source_agents WHERE name IS NOT NULL").reduce(into: [:]) { names, row in
                names[row[0] as String, default: [:]][row[1] as String] = row[2] as String
            }
        }
    }
}
