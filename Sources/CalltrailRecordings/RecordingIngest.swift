import CalltrailArchive
import CalltrailAudio
import CalltrailCore
import CalltrailStore
import Foundation

/// Downloads one recording file and archives it as MP3: an MP3 as it is, GSM (raw or WAV49) or a PCM
/// WAV transcoded here (libgsm + libmp3lame). Anything else (an HTML page served as 200, bytes that
/// are no audio) is refused with the reason.
public struct RecordingIngest: Sendable {
    let client: RecordingClient
    let archive: RecordingArchive
    let keepOriginal: Bool

    /// Downloads `url` (found at `location`, a label the ledger keeps), checks it is one of `accept`,
    /// and archives it as MP3.
    public func ingest(_ url: String, location: String, candidate: RecordingCandidate,
                       accept: Set<AudioFormat>, headers: [(String, String)] = [], into entry: inout RecordingEntry) async throws {
        let relative = try archive.relativePath(source: candidate.source, callID: candidate.callID, startedAt: candidate.startedAt)
        let download = try archive.temporaryFile("download")
        let mp3 = try archive.temporaryFile("mp3")
        defer {
            try? FileManager.default.removeItem(at: download)
            try? FileManager.default.removeItem(at: mp3)
        }
        let (bytes, format) = try await client.download(url, to: download, headers: headers)
        try AudioCheck.expect(format, among: accept, url: url)
        // Provenance: the bytes exactly as the vendor served them, whatever is archived.
        entry.originUrl = url
        entry.originBytes = bytes
        entry.originSha256 = try FileHash.sha256(of: download)
        entry.note = nil
        entry.location = location
        entry.path = relative
        entry.formatFound = format == .wav49 ? "wav49" : format.rawValue
        if format == .mp3 {
            entry.sha256 = try FileHash.sha256(of: download)
            entry.bytes = bytes
            entry.converted = false
            entry.state = .found
            _ = try archive.place(download, at: relative)
            return
        }
        let tags = MP3Tags(
            title: candidate.callID, artist: candidate.agent, album: candidate.queue,
            comment: "\(LocalDateTime.iso8601(candidate.startedAt, in: archive.timeZone)) call \(candidate.callID)")
        let result = try await Self.transcode(download, to: mp3, tags: tags)
        entry.sha256 = try FileHash.sha256(of: mp3)
        entry.bytes = (try FileManager.default.attributesOfItem(atPath: mp3.path)[.size] as? NSNumber)?.intValue
        entry.durationS = result.duration
        if result.trailingBytes > 0 {
            let unit = format == .wav49 ? "65-byte block" : format == .gsm ? "33-byte frame" : "sample frame"
            entry.note = "incomplete: \(result.trailingBytes) bytes after the last whole \(unit) (the file was cut short); decoded to its last whole one"
        }
        if result.badFrames > 0 {
            entry.note = [entry.note, "\(result.badFrames) frames libgsm refused, decoded as silence"].compactMap { $0 }.joined(separator: "; ")
        }
        entry.converted = true
        entry.state = .converted
        _ = try archive.place(mp3, at: relative)
        if keepOriginal {
            _ = try archive.place(download, at: String(relative.dropLast(4)) + "." + format.fileExtension)
        }
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
