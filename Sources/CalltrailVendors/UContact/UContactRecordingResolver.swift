import CalltrailArchive
import CalltrailAudio
import CalltrailCore
import CalltrailHTTP
import CalltrailRecordings
import CalltrailStore
import Foundation
import Logging

/// Finds and archives one uContact recording: MP3 in the four locations, then GSM in the four; a
/// GSM recording is converted by the platform (`Supervisor/convert`, then the MP3 locations again)
/// or, when that is off or fails, downloaded and converted here.
struct UContactRecordingResolver: RecordingResolver {
    let client: RecordingClient
    let locations: [UContactRecordingLocation]
    let timeZone: TimeZone
    /// Logged in for `Supervisor/convert`; nil when conversion on the server is off or login failed.
    let converter: UContactSession?
    let ingest: RecordingIngest
    let logger: Logger
    /// Shared by the run's concurrent resolutions.
    let memory = UContactLocationMemory()

    init(client: RecordingClient, source: SourceConfiguration, options: UContactOptions, converter: UContactSession?,
         ingest: RecordingIngest, logger: Logger) {
        self.client = client
        self.locations = UContactRecordingLocation.configured(telephony: options.telephonyRecordsURL, backup: options.backupRecordsURL)
        self.timeZone = source.timeZone
        self.converter = converter
        self.ingest = ingest
        self.logger = logger
    }

    func resolve(_ candidate: RecordingCandidate, into entry: inout RecordingEntry) async throws {
        let name = try RecordingName.validate(candidate.recordingRef)
        let day = LocalDateTime(candidate.startedAt, in: timeZone).compactDay

        // Where the day's last MP3 was found, the download itself is the probe: a hit costs one request.
        if let learned = memory.learned(locations, day: day, ext: "mp3") {
            do {
                try await ingest.ingest(learned.url(day: day, name: name, ext: "mp3"), location: learned.label.rawValue,
                                        candidate: candidate, accept: [.mp3], into: &entry)
                memory.found(learned.label, day: day, ext: "mp3")
                return
            } catch is NotFound {
                // Not there: the locations are probed in order, as without a hit.
            }
        }
        if let (location, url) = try await firstPresent(name: name, day: day, ext: "mp3") {
            try await ingest.ingest(url, location: location.rawValue, candidate: candidate, accept: [.mp3], into: &entry)
            return
        }
        guard let (gsmLocation, gsmURL) = try await firstPresent(name: name, day: day, ext: "gsm") else {
            entry.state = .missing
            entry.lastError = nil
            entry.location = nil
            return
        }
        if let converter {
            do {
                if try await convert(with: converter, guid: name, folder: day),
                   let (location, url) = try await firstPresent(name: name, day: day, ext: "mp3") {
                    try await ingest.ingest(url, location: location.rawValue, candidate: candidate, accept: [.mp3], into: &entry)
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
        try await ingest.ingest(gsmURL, location: gsmLocation.rawValue, candidate: candidate, accept: [.gsm, .wav49], into: &entry)
    }

    func close() async { await converter?.close() }

    /// `Supervisor/convert`: asks the platform to turn `guid`'s GSM recording of day `folder`
    /// (YYYYMMDD) into MP3, through the session's fetcher (the same retry policy as pages). True when
    /// it answered `1`.
    func convert(with session: UContactSession, guid: String, folder: String) async throws -> Bool {
        let response = try await session.postRenewing("Supervisor/convert", [("guid", guid), ("folder", folder)])
        return response.status == 200 && response.text.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// The first location holding `name.ext`, the one that served the day's last hit first.
    func firstPresent(name: String, day: String, ext: String) async throws -> (UContactRecordingLocation.Label, String)? {
        for location in memory.order(locations, day: day, ext: ext) {
            let url = location.url(day: day, name: name, ext: ext)
            if try await client.probe(url) == .present {
                memory.found(location.label, day: day, ext: ext)
                return (location.label, url)
            }
        }
        return nil
    }
}
