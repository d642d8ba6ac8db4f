import CalltrailAudio
import CalltrailCore
import Foundation

/// Vonage's Interaction Content API behind the simulator: the recorded interactions of a window of
/// at most 7 days, 50 a page with an opaque `continuationToken`, and each call recording as a PCM
/// WAV that honours `Range`. As adversary: one connected interaction in ten has no recording, the
/// listing's last page still carries an empty token, and with `cutTransfers` the first download of
/// each recording breaks off halfway (the client must resume it with `Range`).
extension VonageBackend {
    static let contentPageSize = 50

    /// `GET /interaction-content/interactions?start&end[&continuationToken]`.
    public func contentList(authorization: String?, accept: String?, query: [String: String]) -> Reply {
        contentRequests += 1
        if let refused = authorize(authorization, accept: accept) { return refused }
        if faults.rateLimit && contentRequests % 5 == 2 { return .rateLimited(retryAfter: faults.retryAfterSeconds) }
        let utc = TimeZone(identifier: "UTC")!
        guard let start = query["start"].flatMap({ TimePoint(parsing: $0) })?.date(in: utc),
              let end = query["end"].flatMap({ TimePoint(parsing: $0) })?.date(in: utc) else {
            return .error(status: 400, body: "{\"message\":\"start and end are required\"}")
        }
        guard end > start, end.timeIntervalSince(start) <= 7 * 86_400 else {
            return .error(status: 400, body: "{\"message\":\"The period between start and end must be at most 7 days\"}")
        }
        var offset = 0
        if let token = query["continuationToken"] {
            guard token.hasPrefix("ct"), let value = Int(token.dropFirst(2).prefix { $0.isNumber }) else {
                return .error(status: 400, body: "{\"message\":\"Invalid continuationToken\"}")
            }
            offset = value
        }
        let listed = interactions.filter { $0.start >= start && $0.start < end && recorded.contains($0.guid) }
        let slice = listed.dropFirst(offset).prefix(Self.contentPageSize)
        let items: [[String: Any]] = slice.map { interaction in
            ["guid": interaction.guid, "start": Self.iso(interaction.start),
             "content": [["type": "callRecording", "contentType": "audio/wav"]]]
        }
        let next = offset + slice.count
        var body: [String: Any] = ["items": items]
        body["continuationToken"] = next < listed.count ? "ct\(next)-\(random.digits(6))" : ""
        let data = try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return .json(String(decoding: data, as: UTF8.self))
    }

    public enum ContentReply: Sendable {
        case refused(Reply)
        case audio(Data, cutAt: Int?)
    }

    /// `GET|HEAD /interaction-content/interactions/{guid}/content/callRecording`.
    public func callRecording(_ guid: String, authorization: String?, accept: String?, head: Bool) -> ContentReply {
        contentRequests += 1
        if let refused = authorize(authorization, accept: accept) { return .refused(refused) }
        guard recorded.contains(guid), let interaction = interactions.first(where: { $0.guid == guid }) else {
            return .refused(.error(status: 404, body: "{\"message\":\"No content callRecording for interaction \(guid)\"}"))
        }
        var hasher = RecordingPlacement.FNV()
        hasher.add(guid)
        let seconds = Double(4 + hasher.value % 3)
        let wav = recordingAudio[guid] ?? GSMWriter.pcmWAV(SyntheticSpeech.pcm(seconds: seconds, seed: UInt64(interaction.start.timeIntervalSince1970)))
        recordingAudio[guid] = wav
        var cut: Int?
        if !head {
            recordingGets[guid, default: 0] += 1
            if cutTransfers && recordingGets[guid] == 1 { cut = wav.count / 2 }
        }
        return .audio(wav, cutAt: cut)
    }

    /// The recordings the content API holds (what a client should end up with).
    public var recordedCount: Int { recorded.count }

    /// The WAV a recording is served as, for tests that compare hashes.
    public func recordingBytes(_ guid: String) -> Data? { recordingAudio[guid] }

    public func setCutTransfers(_ on: Bool) { cutTransfers = on }

    /// A bearer token and the versioned `Accept` header, as the Stats API checks them.
    func authorize(_ authorization: String?, accept: String?) -> Reply? {
        guard let authorization, authorization.hasPrefix("Bearer "), tokens[String(authorization.dropFirst(7))] != nil else {
            return .error(status: 401, body: "{\"message\":\"Unauthorized\"}")
        }
        guard accept == Self.accept else { return .error(status: 406, body: "{\"message\":\"Accept must be \(Self.accept)\"}") }
        return nil
    }
}
