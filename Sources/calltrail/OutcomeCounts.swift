import GRDB

/// The demo's one-line summary of what was stored, by outcome, with short abandons (wait < 5 s).
enum OutcomeCounts {
    static func fetch(_ db: Database) throws -> String {
        let rows = try Row.fetchAll(db, sql: "SELECT outcome, count(*) AS n FROM calls GROUP BY outcome ORDER BY n DESC")
        let short = try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE outcome = 'abandoned' AND wait_s < 5") ?? 0
        return rows.map { row -> String in
            let outcome: String = row["outcome"]
            let count: Int = row["n"]
            return outcome == "abandoned" ? "\(count) abandoned (\(short) short, under 5 s)" : "\(count) \(outcome)"
        }.joined(separator: ", ")
    }
}
