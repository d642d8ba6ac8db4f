import CalltrailCore
import CalltrailStore
import Foundation

/// Vendors that give one URL per recording (Meiqia's `record_path`): the URL is checked (http or
/// https, a host, no credentials in it), fetched, type-checked and archived like any other file.
struct URLRecordingResolver: Sendable {
    let ingest: RecordingIngest

    func fetch(_ candidate: RecordingCandidate) async -> RecordingEntry {
        var entry = candidate.entry ?? RecordingEntry(source: candidate.source, callId: candidate.callID)
        entry.attempts += 1
        entry.updatedAt = Date()
        do {
            guard let url = URL(string: candidate.recordingRef), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host?.isEmpty == false, url.user == nil, url.password == nil
            else {
                throw RecordingClient.Failure(message: "recording reference '\(candidate.recordingRef.prefix(80))' is not an http(s) URL")
            }
            try await ingest.ingest(url.absoluteString, location: .url, candidate: candidate, accept: [.mp3, .wav, .gsm, .wav49], into: &entry)
            entry.lastError = nil
        } catch let missing as RecordingClient.NotFound {
            entry.state = .missing
            entry.lastError = missing.description
        } catch {
            entry.state = .failed
            entry.lastError = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
        }
        return entry
    }
}
