import Foundation

/// The calls behind the page's counts, from the calls listing (queries/calls.sql): per queue its
/// abandoned calls and those answered over T, per interval, day and center number its abandoned
/// calls. Each list is a section
/// of the page with an id, hidden until a link to it is followed (CSS :target): the page filters
/// itself without a script or a server.
struct DrillDown {
    let calls: Dataset
    /// List id → the calls' row numbers in the listing, and what the list is.
    private(set) var lists: [(id: String, title: String, rows: [Int])] = []
    /// By what a count stands for ("queue", "queue-over-t", "interval", "day", "number") and its key: the list's id.
    private var ids: [String: [String: String]] = [:]

    /// The columns a list shows, of calls.csv's.
    static let shown = ["at", "queue", "agent", "customer_number", "did", "wait_s", "talk_s", "outcome", "call_id", "recording_file"]

    init(calls: Dataset, intervalMinutes: Int) {
        self.calls = calls
        guard let at = calls.column("at"), let direction = calls.column("direction"), let outcome = calls.column("outcome"),
              let queue = calls.column("queue"), let did = calls.column("did"), let inThreshold = calls.column("in_threshold") else { return }
        // (kind, key) → the rows of its list, for the offered inbound calls.
        var groups: [String: [String: [Int]]] = [:]
        for (index, row) in calls.rows.enumerated() where row[direction] == "inbound" && row[inThreshold] != nil {
            let name = row[queue] ?? "(none)"
            if row[outcome] == "abandoned" {
                groups["queue", default: [:]][name, default: []].append(index)
                groups["number", default: [:]][row[did] ?? "(unknown)", default: []].append(index)
                if let time = row[at] {
                    if let start = Self.intervalStart(time, minutes: intervalMinutes) { groups["interval", default: [:]][start, default: []].append(index) }
                    groups["day", default: [:]][String(time.prefix(10)), default: []].append(index)
                }
            } else if row[outcome] == "answered", row[inThreshold] == "no" {
                groups["queue-over-t", default: [:]][name, default: []].append(index)
            }
        }
        let titles = ["queue": "%@: abandoned calls", "queue-over-t": "%@: calls answered after T", "interval": "Interval %@: abandoned calls",
                      "day": "%@: abandoned calls", "number": "Number %@: abandoned calls"]
        for kind in ["queue", "queue-over-t", "interval", "day", "number"] {
            for (n, key) in (groups[kind] ?? [:]).keys.sorted().enumerated() {
                let id = "drill-\(kind)-\(n)"
                ids[kind, default: [:]][key] = id
                lists.append((id, titles[kind]!.replacingOccurrences(of: "%@", with: key), groups[kind]![key]!))
            }
        }
    }

    /// "#drill-…" for the calls behind a count, nil when there are none: `kind` is "queue" (a queue's
    /// abandons), "queue-over-t" (its calls answered after T), "interval" (as by_interval shows its start),
    /// "day" (YYYY-MM-DD) or "number" (the center number).
    func link(_ kind: String, _ key: String) -> String? { ids[kind]?[key].map { "#" + $0 } }

    /// The start of the interval holding a local time with its offset, as by_interval writes it:
    /// "2026-12-05T08:17:03-03:00" → "2026-12-05T08:00:00-03:00" for 30 minutes.
    static func intervalStart(_ at: String, minutes: Int) -> String? {
        let chars = Array(at)
        guard chars.count >= 19, let minute = Int(String(chars[14...15])) else { return nil }
        return String(chars[0..<14]) + String(format: "%02d", minute - minute % minutes) + ":00" + String(chars[19...])
    }
}
