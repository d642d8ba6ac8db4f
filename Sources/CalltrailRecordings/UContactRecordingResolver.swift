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
    let archive: RecordingArchive
    let keepOriginal: Bool
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
        let relative = try archive.relativePath(source: candidate.source, callID: candidate.callID, startedAt: candidate.startedAt)
        let day = LocalDateTime(candidate.startedAt, in: configuration.timeZone).compactDay
        let locations = RecordingLocation.uContact(telephony: configuration.telephonyRecordsURL, backup: configuration.backupRecordsURL)

        if let (location, url) = try await firstPresent(locations, name: name, day: day, ext: "mp3") {
            try await archiveMP3(url, location: location, relative: relative, into: &entry)
            entry.state = .found
            entry.formatFound = "mp3"
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
                    try await archiveMP3(url, location: location, relative: relative, into: &entry)
                    entry.state = .converted
                    entry.formatFound = "gsm"
                    entry.converted = false
                    return
                }
                logger.info("convert service did not produce an MP3, converting here", metadata: ["call": "\(candidate.callID)"])
            } catch {
                logger.info("convert service failed, converting here", metadata: ["call": "\(candidate.callID)", "error": "\(error)"])
            }
        }
        try await convertLocally(gsmURL, location: gsmLocation, candidate: candidate, relative: relative, into: &entry)
    }

    func firstPresent(_ locations: [(RecordingLocation, URL, Bool)], name: String, day: String, ext: String) async throws -> (RecordingLocation, String)? {
        for (location, base, dayed) in locations {
            let url = RecordingLocation.uContactURL(base: base, day: dayed ? day : nil, name: name, ext: ext)
            if try await client.probe(url) == .present { return (location, url) }
        }
        return nil
    }

    func archiveMP3(_ url: String, location: RecordingLocation, relative: String, into entry: inout RecordingEntry) async throws {
        let temporary = try archive.temporaryFile("mp3")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let (bytes, format) = try await client.download(url, to: temporary)
        try AudioCheck.expect(format, among: [.mp3], url: url)
        entry.sha256 = try FileHash.sha256(of: temporary)
        _ = try archive.place(temporary, at: relative)
        entry.bytes = bytes
        entry.path = relative
        entry.location = location.rawValue
    }

    func convertLocally(_ url: String, location: RecordingLocation, candidate: RecordingCandidate, relative: String,
                        into entry: inout RecordingEntry) async throws {
        let original = try archive.temporaryFile("gsm")
        let mp3 = try archive.temporaryFile("mp3")
        defer {
            try? FileManager.default.removeItem(at: original)
            try? FileManager.default.removeItem(at: mp3)
        }
        let (_, format) = try await client.download(url, to: original)
        try AudioCheck.expect(format, among: [.gsm, .wav49], url: url)
        let tags = MP3Tags(
            title: candidate.callID, artist: candidate.agent, album: candidate.queue,
            comment: "\(LocalDateTime(candidate.startedAt, in: archive.timeZone)) \(archive.timeZone.identifier) call \(candidate.callID)")
        let result = try await Self.transcode(original, to: mp3, tags: tags)
        entry.sha256 = try FileHash.sha256(of: mp3)
        entry.bytes = Int((try FileManager.default.attributesOfItem(atPath: mp3.path)[.size] as? NSNumber)?.intValue ?? 0)
        _ = try archive.place(mp3, at: relative)
        if keepOriginal {
            let originalPath = String(relative.dropLast(4)) + "." + (format == .wav49 ? "wav" : "gsm")
            _ = try archive.place(original, at: originalPath)
        }
        entry.state = .converted
        entry.converted = true
        entry.formatFound = format == .wav49 ? "wav49" : "gsm"
        entry.location = location.rawValue
        entry.path = relative
        entry.durationS = result.duration
    }

    /// Transcoding is CPU work: it runs off the cooperative pool, which has only two threads here.
    static func transcode(_ input: URL, to output: URL, tags: MP3Tags) async throws -> Transcoder.Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Transcoder.toMP3(input: input, output: output, tags: tags) })
            }
        }
    }
}
