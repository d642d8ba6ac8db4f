import CalltrailCore
import Foundation

/// CCAI Platform behind the simulator: call objects tailed by `updated_at`. Its quirk as adversary:
/// with `late-arrivals`, a call already listed is updated while the client pages, so it moves to the
/// end of the `updated_at` order and every row after it shifts one place back.
public actor CCAIBackend {
    let authorization: String
    public private(set) var faults: FaultPlan
    private var calls: [CCAICallEncoder.Encoded]
    private var requests = 0
    private var moved = 0
    private var recordingBase = "http://127.0.0.1/ccai/recordings"
    public private(set) var undecodable = 0

    public init(calls: [SimulatedCall], companyKey: String, token: String, faults: FaultPlan) {
        self.authorization = "Basic " + Data("\(companyKey):\(token)".utf8).base64EncodedString()
        self.faults = faults
        var encoded = CCAICallEncoder.encode(calls)
        if faults.malformedRecord, encoded.count > 5 {
            var object = encoded[5].object
            object["created_at"] = "yesterday afternoon"
            encoded[5] = .init(id: encoded[5].id, updatedAt: encoded[5].updatedAt, object: object)
            undecodable = 1
        }
        self.calls = encoded.sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
    }

    public var recordCount: Int { calls.count }
    /// Calls that are answered and so have a recording.
    public var recordedIDs: [Int] { calls.filter { !($0.object["recording_url"] is NSNull) }.map(\.id) }
    public func setFaults(_ plan: FaultPlan) { faults = plan }
    public func setRecordingBase(_ url: String) { recordingBase = url }

    public enum Reply: Sendable {
        case page(json: String, total: Int, link: String?)
        case error(status: Int, message: String)
        case rateLimited(retryAfter: Int)
    }

    public func list(authorization: String?, query: [String: String], baseURL: String) -> (Reply, delay: Double) {
        requests += 1
        let n = requests
        guard authorization == self.authorization else { return (.error(status: 401, message: "Invalid company key or API token"), 0) }
        if faults.rateLimit && n % 7 == 3 { return (.rateLimited(retryAfter: faults.retryAfterSeconds), 0) }
        if faults.serverErrors && n % 5 == 2 { return (.error(status: 502, message: "Bad Gateway"), 0) }
        let delay = faults.slowResponses && n % 9 == 4 ? faults.slowSeconds : 0
        let per = Int(query["per"] ?? "25") ?? 25
        let page = Int(query["page"] ?? "1") ?? 1
        guard (1...100).contains(per), page >= 1 else { return (.error(status: 400, message: "per must be between 1 and 100"), delay) }
        guard query["sort_column"] == "updated_at", query["sort_direction"] == "ASC" else {
            return (.error(status: 400, message: "sort_column must be updated_at and sort_direction ASC for tailing"), delay)
        }
        let from = query["updated_at[from]"].flatMap { TimePoint(parsing: $0) }?
            .date(in: TimeZone(identifier: "UTC")!) ?? .distantPast
        // A client paging on asks for a later page, or from a later `updated_at` than the list starts.
        let continuing = page > 1 || calls.first.map { from > $0.updatedAt } == true
        if faults.lateArrivals && continuing && moved < 3 {
            // An early call changes (its recording became ready): it jumps to the end of the order.
            if let index = calls.firstIndex(where: { $0.updatedAt >= from }) {
                var call = calls.remove(at: index)
                call.updatedAt = (calls.last?.updatedAt ?? call.updatedAt).addingTimeInterval(1)
                var object = call.object
                object["updated_at"] = CCAICallEncoder.iso(call.updatedAt)
                calls.append(.init(id: call.id, updatedAt: call.updatedAt, object: object))
                moved += 1
            }
        }
        // The calls are in updated_at order: the tail starts at the first one at or after `from`.
        let first = calls.partitioningIndex(where: { $0.updatedAt >= from })
        let matching = calls[first...]
        let slice = matching.dropFirst((page - 1) * per).prefix(per)
        let objects = slice.map { entry -> [String: Any] in
            var object = entry.object
            if let url = object["recording_url"] as? String {
                object["recording_url"] = url.replacingOccurrences(of: CCAICallEncoder.recordingPlaceholder, with: recordingBase)
            }
            return object
        }
        let data = try! JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys])
        let last = (page - 1) * per + slice.count >= matching.count
        var link: String?
        if !last {
            var next = query
            next["page"] = String(page + 1)
            let encoded = next.sorted { $0.key < $1.key }
                .map { "\($0.key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.value)" }
                .joined(separator: "&")
            link = "<\(baseURL)/manager/api/v1/calls?\(encoded)>; rel=\"next\""
        }
        return (.page(json: String(decoding: data, as: UTF8.self), total: matching.count, link: link), delay)
    }
}
