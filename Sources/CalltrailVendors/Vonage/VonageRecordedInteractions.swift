import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import Foundation

/// Which interactions have a call recording, from the Interaction Content API's listing
/// (`GET interaction-content/interactions?start&end`, at most 7 days a request, paged by
/// `continuationToken`) [doc]. Listed once per 7-day window (UTC, from the epoch) for a whole
/// recordings run, however many of its calls ask: one listing request per 50 to 100 calls instead
/// of a probe per call.
actor VonageRecordedInteractions {
    static let windowSeconds = 7.0 * 86_400
    /// A bound on pages per window: a server that hands out tokens for ever cannot hold the run.
    static let maxPages = 10_000

    let session: VonageSession
    let base: URL
    private var windows: [Double: Task<Set<String>, any Error>] = [:]

    init(session: VonageSession, base: URL) {
        self.session = session
        self.base = base
    }

    /// The 7-day window holding `date`.
    static func window(of date: Date) -> DateInterval {
        let start = floor(date.timeIntervalSince1970 / windowSeconds) * windowSeconds
        return DateInterval(start: Date(timeIntervalSince1970: start), duration: windowSeconds)
    }

    /// The recorded interactions of the window holding `date`. A listing that failed is asked
    /// again by the next call that needs it (its calls fail and are retried next run meanwhile).
    func recorded(around date: Date) async throws -> Set<String> {
        let window = Self.window(of: date)
        let key = window.start.timeIntervalSince1970
        let task = windows[key] ?? Task { try await list(window) }
        windows[key] = task
        do {
            return try await task.value
        } catch {
            windows[key] = nil
            throw error
        }
    }

    private func list(_ window: DateInterval) async throws -> Set<String> {
        var guids = Set<String>()
        var token: String?
        var seen = Set<String>()
        for _ in 0..<Self.maxPages {
            let query = VonageSession.window(window) + (token.map { [("continuationToken", $0)] } ?? [])
            let value = try await session.get("interaction-content/interactions", query, base: base)
            for item in Self.items(value) where Self.hasCallRecording(item) {
                if let guid = item["guid"]?.text ?? item["interactionGuid"]?.text ?? item["id"]?.text { guids.insert(guid) }
            }
            // The token comes beside the items or in `meta` [guess]; none, or one already followed, ends the list.
            let next = value["continuationToken"]?.text ?? value["meta"]?["continuationToken"]?.text
            guard let next, !next.isEmpty, seen.insert(next).inserted else { return guids }
            token = next
        }
        throw SourceError.protocolViolation(source: session.name, url: Endpoint.join(base, "interaction-content/interactions"),
                                            detail: "more than \(Self.maxPages) pages of content for one 7-day window")
    }

    /// The listed interactions: `items` [doc], or `interactions` / `data` [guess].
    static func items(_ value: JSONValue) -> [JSONValue] {
        for key in ["items", "interactions", "data"] {
            if case .array(let items)? = value[key] { return items }
        }
        return []
    }

    /// Whether an item lists a `callRecording` among its content; an item that lists no content at
    /// all is taken as recorded (the listing is of interactions with content) [guess].
    static func hasCallRecording(_ item: JSONValue) -> Bool {
        guard case .array(let content)? = item["content"] ?? item["contents"] else { return true }
        return content.contains { entry in
            let type = entry.text ?? entry["type"]?.text ?? entry["contentType"]?.text ?? entry["name"]?.text
            return type?.caseInsensitiveCompare("callRecording") == .orderedSame
        }
    }
}
