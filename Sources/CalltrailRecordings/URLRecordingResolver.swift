import CalltrailCore
import CalltrailStore
import Foundation

/// Vendors that give one URL per recording (Meiqia's `record_path`, CCAI's `recording_url`): the URL
/// is checked (http or https, a host, no credentials in it), fetched, type-checked and archived like
/// any other file.
public struct URLRecordingResolver: RecordingResolver {
    let ingest: RecordingIngest

    public init(ingest: RecordingIngest) { self.ingest = ingest }

    public func resolve(_ candidate: RecordingCandidate, into entry: inout RecordingEntry) async throws {
        guard let url = URL(string: candidate.recordingRef), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host?.isEmpty == false, url.user == nil, url.password == nil
        else {
            throw RecordingClient.Failure(message: "recording reference '\(candidate.recordingRef.prefix(80))' is not an http(s) URL")
        }
        try await ingest.ingest(url.absoluteString, location: "url", candidate: candidate, accept: [.mp3, .wav, .gsm, .wav49], into: &entry)
    }
}
