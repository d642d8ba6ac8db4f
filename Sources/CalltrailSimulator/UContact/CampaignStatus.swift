import CalltrailCore
import Foundation

/// `Supervisor/campaignstatus` as uContact answers it (seed 003): one object per campaign with its
/// counters since the day began (numbers partly as strings), mixed with agent entries.
enum CampaignStatus {
    /// Asterisk's defaults: ServicelevelPerf over answered calls, ServicelevelPerf2 with abandons within.
    static let threshold = 20

    static func json(calls: [SimulatedCall], dayStart: Date, now: Date) -> String {
        let today = calls.filter { $0.start >= dayStart && $0.start < now }
        var objects: [String: Any] = [:]
        for campaign in Set(calls.map(\.campaign)).sorted() {
            let mine = today.filter { $0.campaign == campaign }
            let answered = mine.filter { $0.fate == .answered || $0.fate == .outboundAnswered }
            let abandoned = mine.filter { $0.fate == .abandoned }
            let answeredIn = answered.filter { $0.waitS <= threshold }.count
            let abandonedIn = abandoned.filter { $0.waitS <= threshold }.count
            func percent(_ n: Int, _ d: Int) -> String { d == 0 ? "0.0" : String(format: "%.1f", 100.0 * Double(n) / Double(d)) }
            objects[campaign] = [
                "campaign": campaign, "availables": 1, "notavailables": 0, "paused": 0, "busy": 1, "busypaused": 0,
                "totalagents": 2, "logged": 2, "onwrapup": 0, "completed": answered.count, "abandoned": abandoned.count,
                "talked": "00:00:00-0", "hold": "00:00:00-0",
                "abandonedlevel": percent(abandoned.count, answered.count + abandoned.count),
                "totalcalls": mine.count, "acd": 0,
                "servicelevel": percent(answeredIn, answered.count),
                "servicelevel2": percent(answeredIn + abandonedIn, answered.count + abandoned.count),
                "strategy": "leastrecent", "slevelthreshold": String(threshold), "wrapup": 0,
            ] as [String: Any]
        }
        // An agent entry rides along, as the seed says the answer mixes object kinds.
        objects["ana.perez"] = ["agent": "ana.perez", "status": "available", "calls": 3] as [String: Any]
        let data = try! JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
