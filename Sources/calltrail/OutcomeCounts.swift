import CalltrailStore

/// The demo's one-line summary of what was stored, by outcome, with short abandons (wait < 5 s).
enum OutcomeCounts {
    static func line(_ store: CallStore) async throws -> String {
        let (outcomes, short) = try await store.outcomeCounts(shortAbandonUnder: 5)
        return outcomes.map { outcome, count in
            outcome == "abandoned" ? "\(count) abandoned (\(short) short, under 5 s)" : "\(count) \(outcome)"
        }.joined(separator: ", ")
    }
}
