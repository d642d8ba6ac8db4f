import CalltrailAudio
import CalltrailCore
import Foundation

/// The recording servers: telephony and backup, where `RecordingPlacement` puts each placed recording
/// (and the convert service that turns a GSM one into MP3), and the folders of MP3 files a vendor
/// serves flat. Audio is synthetic speech, encoded once per clip and shared by the calls that use it.
public actor RecordingServer {
    struct Recording {
        var placement: RecordingPlacement
        let day: String
        let clip: Int
    }

    private var recordings: [String: Recording] = [:]
    private var clips: [Int: (mp3: Data, gsm: Data, wav49: Data)] = [:]
    public private(set) var convertRequests = 0
    /// Every GET and HEAD the recording servers answered.
    public private(set) var fileRequests = 0
    /// While set, GETs after this many file requests hang (for kill tests).
    public private(set) var hangAfter: Int?

    public func setHang(after requests: Int?) { hangAfter = requests }

    /// Whether a GET should hang now.
    public func shouldHang() -> Bool { hangAfter.map { fileRequests > $0 } ?? false }

    /// While set, the first GET of each file is answered 429 with `Retry-After` of this many seconds.
    public private(set) var throttleFirstGet: Int?
    /// When each GET of a file arrived, by path: how long a client waited before asking again.
    public private(set) var getTimes: [String: [Date]] = [:]

    public func setThrottle(retryAfter seconds: Int?) { throttleFirstGet = seconds }

    /// Notes a GET of `path`; the `Retry-After` to answer with when it is throttled.
    func noteGet(_ path: String) -> Int? {
        getTimes[path, default: []].append(Date())
        guard let seconds = throttleFirstGet, getTimes[path]?.count == 1 else { return nil }
        return seconds
    }

    /// The MP3 files a vendor serves flat, by route root and name without `.mp3`: each its clip.
    private var files: [String: [String: Int]] = [:]

    /// `sets`: the calls whose recordings are placed on the telephony and backup servers, each set in
    /// the zone whose days name its folders.
    public init(placing sets: [(calls: [SimulatedCall], timeZone: TimeZone)]) {
        var index = 0
        for (calls, timeZone) in sets {
            for call in calls where call.talkS > 0 {
                var hasher = RecordingPlacement.FNV()
                hasher.add(call.guid)
                recordings[call.guid] = Recording(placement: .choose(index: index, guid: call.guid),
                                                  day: LocalDateTime(call.start, in: timeZone).compactDay,
                                                  clip: Int(hasher.value % 12))
                index += 1
            }
        }
    }

    public enum Reply: Sendable, Equatable {
        case notFound
        case bytes(Data, contentType: String)
    }

    /// GET or HEAD `server`/records/[`day`/]`file`.
    public func file(server: String, day: String?, name: String) -> Reply {
        fileRequests += 1
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let recording = recordings[parts[0]] else { return .notFound }
        let ext = parts[1]
        func here(_ location: RecordingPlacement.Location) -> Bool {
            location.server == server && (location.dayFolder ? day == recording.day : day == nil)
        }
        switch recording.placement {
        case .mp3(let location) where here(location) && ext == "mp3":
            return .bytes(clip(recording.clip).mp3, contentType: "audio/mpeg")
        case .gsm(let location, let wav49, _) where here(location) && ext == "gsm":
            return .bytes(wav49 ? clip(recording.clip).wav49 : clip(recording.clip).gsm, contentType: "audio/x-gsm")
        case .truncatedGSM(let location) where here(location) && ext == "gsm":
            let gsm = clip(recording.clip).gsm
            return .bytes(gsm.prefix(gsm.count - 10), contentType: "audio/x-gsm")
        case .corrupt(let location) where here(location) && ext == "mp3":
            return .bytes(Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }), contentType: "audio/mpeg")
        case .htmlPage(let location) where here(location) && ext == "mp3":
            return .bytes(Data("<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Recording temporarily unavailable</h1></body></html>".utf8),
                          contentType: "text/html")
        default:
            return .notFound
        }
    }

    /// Puts a call's recording somewhere else (for tests that need each case).
    public func place(_ guid: String, _ placement: RecordingPlacement) {
        recordings[guid]?.placement = placement
    }

    /// The audio a placement serves, as the client would download it.
    public func audio(_ guid: String, format: String) -> Data? {
        guard let recording = recordings[guid] else { return nil }
        let clip = clip(recording.clip)
        return switch format {
        case "mp3": clip.mp3
        case "wav49": clip.wav49
        default: clip.gsm
        }
    }

    /// Serves `clips` (a file's name without `.mp3`, and its clip) at `root`, in place of what was there.
    public func serveFiles(_ clips: [String: Int], at root: String) { files[root] = clips }

    /// GET or HEAD `/<root>/<name>`.
    public func file(at root: String, name: String) -> Reply {
        fileRequests += 1
        guard name.hasSuffix(".mp3"), let clip = files[root]?[String(name.dropLast(4))] else { return .notFound }
        return .bytes(self.clip(clip).mp3, contentType: "audio/mpeg")
    }

    /// `Supervisor/convert`: a GSM-only recording becomes an MP3 at the same place, for three in five;
    /// the rest fail (the client must convert them itself). `1` for done, `0` otherwise.
    public func convert(guid: String, folder: String) -> Bool {
        convertRequests += 1
        guard var recording = recordings[guid], recording.day == folder else { return false }
        switch recording.placement {
        case .mp3: return true
        case .gsm(let location, _, let convertible) where convertible:
            recording.placement = .mp3(location)
            recordings[guid] = recording
            return true
        default:
            return false
        }
    }

    private func clip(_ index: Int) -> (mp3: Data, gsm: Data, wav49: Data) {
        if let cached = clips[index] { return cached }
        let pcm = SyntheticSpeech.pcm(seconds: Double(6 + index % 6), seed: UInt64(index + 1))
        let encoded = ((try? GSMWriter.mp3(pcm, tags: nil)) ?? Data(), GSMWriter.raw(pcm), GSMWriter.wav49(pcm))
        clips[index] = encoded
        return encoded
    }
}
