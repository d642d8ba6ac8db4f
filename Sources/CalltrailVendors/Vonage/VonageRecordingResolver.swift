import CalltrailCore
import CalltrailHTTP
import CalltrailRecordings
import CalltrailStore
import Foundation

/// Vonage recordings through the Interaction Content API [doc]: a call whose interaction the listing
/// shows with a `callRecording` is downloaded from `interactions/{guid}/content/callRecording`
/// (`audio/wav`; a cut transfer resumes with `Range`), with the source's bearer token, and archived
/// as MP3 like every other recording (the WAV's size and sha256 stay in the ledger as its origin).
/// A call the listing does not show has no recording: `missing`.
struct VonageRecordingResolver: RecordingResolver {
    let session: VonageSession
    let base: URL
    let recorded: VonageRecordedInteractions
    let ingest: RecordingIngest

    init(session: VonageSession, base: URL, ingest: RecordingIngest) {
        self.session = session
        self.base = base
        self.recorded = VonageRecordedInteractions(session: session, base: base)
        self.ingest = ingest
    }

    func resolve(_ candidate: RecordingCandidate, into entry: inout RecordingEntry) async throws {
        let guid = candidate.recordingRef
        guard guid.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "%") && $0 > 0x20 }),
              !guid.isEmpty, guid != ".", guid != ".."
        else {
            throw RecordingClient.Failure(message: "interaction guid '\(guid.prefix(60))' cannot name a recording URL")
        }
        guard try await recorded.recorded(around: candidate.startedAt).contains(guid) else {
            entry.state = .missing
            entry.lastError = nil
            entry.location = nil
            return
        }
        let url = Endpoint.join(base, "interaction-content/interactions/\(guid)/content/callRecording")
        try await ingest.ingest(url, location: "content", candidate: candidate, accept: [.wav, .mp3],
                                headers: try await session.headers(), into: &entry)
    }
}
