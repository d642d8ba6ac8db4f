import Foundation

/// The calls behind the page's counts, from the calls listing (queries/calls.sql): per queue its
/// abandoned calls and those answered over T, per interval its abandoned calls. Each list is a section
/// of the page with an id, hidden until a link to it is followed (CSS :target): the page filters
/// itself without a script or a server.
struct DrillDown {
    let calls: Dataset
    /// List id → the calls' row numbers in the listing, and what the list is.
    private(set) var lists: [(id: String, title: String, rows: [Int])] = []
    private var queueAbandoned: [String: String] = [:]
    private var queueOverT: [String: String] = [:]
    private var intervalAbandoned: [String: String] = [:]

    /// The columns a list shows, of calls.csv's.
    static let shown = ["at", "queue", "agent", "customer_number", "wait_s", "talk_s", "outcome", "call_id", "recording_file"]

    init(calls: Dataset, intervalMinutes: Int) {
        self.calls = calls
        guard let at = calls.column("at"), let direction = calls.column("direction"), let outcome = calls.column("outcome"),
              let queue = calls.column("queue"), let inThreshold = calls.column("in_threshold") else { return }
        var abandonedByQueue: [String: [Int]] = [:], overTByQueue: [String: [Int]] = [:], abandonedByInterval: [String: [Int]] = [:]
        for (index, row) in calls.rows.enumerated() where row[direction] == "inbound" && row[inThreshold] != nil {
            let name = row[queue] ?? "(none)"
            if row[outcome] == "abandoned" {
                abandonedByQueue[name, default: []].append(index)
                if let start = row[at].flatMap({ Self.intervalStart($0, minutes: intervalMinutes) }) { abandonedByInterval[start, default: []].append(index) }
            } else if row[outcome] == "answered", row[inThreshold] == "no" {
                overTByQueue[name, default: []].append(index)
            }
        }
        for (n, name) in Set(abandonedByQueue.keys).union(overTByQueue.keys).sorted().enumerated() {
            if let rows = abandonedByQueue[name] {
                queueAbandoned[name] = "drill-q\(n)-abandoned"
                lists.append(("drill-q\(n)-abandoned", "\(name): abandoned calls", rows))
            }
            if let rows = overTByQueue[name] {
                queueOverT[name] = "drill-q\(n)-over-t"
                lists.append(("drill-q\(n)-over-t", "\(name): calls answered after T", rows))
            }
        }
        for (n, start) in abandonedByInterval.keys.sorted().enumerated() {
            intervalAbandoned[start] = "drill-i\(n)-abandoned"
            lists.append(("drill-i\(n)-abandoned", "Interval \(start): abandoned calls", abandonedByInterval[start]!))
        }
    }

    /// "#drill-…" for a queue's abandoned calls, nil when it had none.
    func abandoned(queue: String) -> String? { queueAbandoned[queue].map { "#" + $0 } }
    func answeredOverT(queue: String) -> String? { queueOverT[queue].map { "#" + $0 } }
    /// For an interval as by_interval shows its start; ALL queues.
    func abandoned(interval: String) -> String? { intervalAbandoned[interval].map { "#" + $0 } }

    /// The start of the interval holding a local time with its offset, as by_interval writes it:
    /// "2026-12-05T08:17:03-03:00" → "2026-12-05T08:00:00-03:00" for 30 minutes.
    static func intervalStart(_ at: String, minutes: Int) -> String? {
        let chars = Array(at)
        guard chars.count >= 19, let minute = Int(String(chars[14...15])) else { return nil }
        return String(chars[0..<14]) + String(format: "%02d", minute - minute % minutes) + ":00" + String(chars[19...])
    }
}
