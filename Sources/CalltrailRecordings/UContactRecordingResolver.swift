import CalltrailAudio
import CalltrailCore
import CalltrailSources
import CalltrailStore
import Foundation
import Logging

/// Finds and archives one uContact recording: MP3 in the four locations, then GSM in the four; a
/// GSM recording is converted by the platform (`Supervisor/convert`, then the MP3 locations again)
/// or, when that is off or fails, downloaded and converted here.
struct UContactRecordingResolver: Sendable {
    let client: RecordingClient
    let configuration: SourceConfiguration
    /// Logged in for `Supervisor/convert`; nil when conversion on the server is off or login failed.
    let converter: UContactSource?
    let ingest: RecordingIngest
    let logger: Logger

    func fetch(_ candidate: RecordingCandidate) async -> RecordingEntry {
        var entry = candidate.entry ?? RecordingEntry(source: candidate.source, callId: candidate.callID)
        entry.attempts += 1
        entry.updatedAt = Date()
        do {
            try await resolve(candidate, into: &entry)
            entry.lastError = nil
        } catch {
            entry.state = .failed
            entry.lastError = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
        }
        return entry
    }

    func resolve(_ candidate: RecordingCandidate, into entry: inout RecordingEntry) async throws {
        let name = try RecordingName.validate(candidate.recordingRef)
        let day = LocalDateTime(candidate.startedAt, in: configuration.timeZone).compactDay
        let locations = RecordingLocation.uContact(telephony: configuration.telephonyRecordsURL, backup: configuration.backupRecordsURL)

        if let (location, url) = try await firstPresent(locations, name: name, day: day, ext: "mp3") {
            try await ingest.ingest(url, location: location, candidate: candidate, accept: [.mp3], into: &entry)
            return
        }
        guard let (gsmLocation, gsmURL) = try await firstPresent(locations, name: name, day: day, ext: "gsm") else {
            entry.state = .missing
            entry.lastError = nil
            entry.location = nil
            return
        }
        if let converter {
            do {
                if try await converter.convert(guid: name, folder: day),
                   let (location, url) = try await firstPresent(locations, name: name, day: day, ext: "mp3") {
                    try await ingest.ingest(url, location: location, candidate: candidate, accept: [.mp3], into: &entry)
                    // The platform converted it: the archived MP3 is not the file first found.
                    entry.state = .converted
                    entry.formatFound = "gsm"
                    return
                }
                logger.info("convert service did not produce an MP3, converting here", metadata: ["call": "\(candidate.callID)"])
            } catch {
                logger.info("convert service failed, converting here", metadata: ["call": "\(candidate.callID)", "error": "\(error)"])
            }
        }
        try await ingest.ingest(gsmURL, location: gsmLocation, candidate: candidate, accept: [.gsm, .wav49], into: &entry)
    }

    func firstPresent(_ locations: [(RecordingLocation, URL, Bool)], name: String, day: String, ext: String) async throws -> (RecordingLocation, String)? {
        for (location, base, dayed) in locations {
            let url = RecordingLocation.uContactURL(base: base, day: dayed ? day : nil, name: name, ext: ext)
            if try await client.probe(url) == .present { return (location, url) }
        }
        return nil
    }
}
