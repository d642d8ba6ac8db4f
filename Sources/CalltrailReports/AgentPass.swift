import CalltrailCore
import CalltrailStore
import Foundation

/// by_agent summed from the agent tallies in one read (`CallStore.scanAgentTallies`): per source and
/// agent, the inbound calls answered (T measured per tally, its queue's own or the report's), their
/// waits, handle, talk and hold, and the outbound calls made; printed as by_agent.sql prints them.
final class AgentPass: AgentTallyScanSink, @unchecked Sendable {
    struct Agent: Hashable {
        var source: String
        var agent: String
    }

    struct Sums {
        var answered = 0, answeredInT = 0, answeredWaited = 0, answeredWait = 0.0
        var maxWait: Double?
        var handle = 0.0, talk = 0.0, hold = 0.0
        var outboundAttempts = 0, outboundConnected = 0
        var waits = WaitCounts()
        var hasWaits = false
    }

    private(set) var agents: [Agent: Sums] = [:]

    static func run(_ store: CallStore, _ scope: TallyScope, refreshed: Bool = false) async throws -> AgentPass {
        let pass = AgentPass()
        try await store.scanAgentTallies(scope, refreshed: refreshed, into: pass)
        return pass
    }

    func take(_ tally: ScannedAgentTally) throws {
        let key = Agent(source: tally.source, agent: tally.agent)
        var sums = agents.removeValue(forKey: key) ?? Sums()
        sums.answered += tally.answered
        sums.answeredWaited += tally.answeredWaited
        sums.answeredWait += tally.answeredWait
        if let wait = tally.maxWait { sums.maxWait = max(sums.maxWait ?? wait, wait) }
        sums.handle += tally.handle
        sums.talk += tally.talk
        sums.hold += tally.hold
        sums.outboundAttempts += tally.outboundAttempts
        sums.outboundConnected += tally.outboundConnected
        for (wait, calls) in tally.answeredWaits {
            sums.waits.add(wait, calls)
            if let wait, wait <= tally.threshold { sums.answeredInT += calls }
        }
        sums.hasWaits = sums.hasWaits || !tally.answeredWaits.isEmpty
        agents[key] = sums
    }

    /// by_agent: the agents with most calls (answered and made) first, then by source and agent.
    func dataset(names: [String: [String: String]]) -> Dataset {
        let columns = ["source", "agent", "agent_name", "inbound_answered", "answered_in_t", "sl_v1_answered", "asa_s", "max_wait_s", "aht_s",
                       "avg_talk_s", "avg_hold_s", "p50_wait_s", "p90_wait_s", "inbound_talk_s", "outbound_attempts", "outbound_connected"]
        let ordered = agents.sorted { a, b in
            let x = a.value.answered + a.value.outboundAttempts, y = b.value.answered + b.value.outboundAttempts
            if x != y { return x > y }
            if a.key.source != b.key.source { return SQLText.precedes(a.key.source, b.key.source) }
            return SQLText.precedes(a.key.agent, b.key.agent)
        }
        let rows: [[String?]] = ordered.map { key, s in
            let counts = InboundCounts(answered: s.answered, answeredInT: s.answeredInT)
            let answered = s.answered > 0 ? Double(s.answered) : nil
            let means = [s.answeredWaited > 0 ? s.answeredWait / Double(s.answeredWaited) : nil, s.maxWait,
                         answered.map { s.handle / $0 }, answered.map { s.talk / $0 }, answered.map { s.hold / $0 }]
            let percentiles = s.hasWaits ? [s.waits.nearestRank(50), s.waits.nearestRank(90)].map { $0.map(SQLText.seconds) } : [nil, nil]
            return [key.source, key.agent, names[key.source]?[key.agent], String(s.answered), String(s.answeredInT),
                    counts.serviceLevelOfAnswered.map(SQLText.ratio)]
                + means.map { $0.map(SQLText.seconds) } + percentiles
                + [SQLText.seconds(s.talk), String(s.outboundAttempts), String(s.outboundConnected)]
        }
        return Dataset(name: "by_agent", columns: columns, rows: rows)
    }
}
