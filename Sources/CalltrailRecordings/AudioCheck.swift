import CalltrailAudio
import Foundation

/// Checks a downloaded file is the kind of audio the location promised.
enum AudioCheck {
    static func expect(_ found: AudioFormat, among allowed: Set<AudioFormat>, url: String) throws {
        guard allowed.contains(found) else {
            let what = switch found {
            case .html: "an HTML page served as 200, not audio"
            case .unknown: "not audio (no MP3 frame sync, GSM frame signature or RIFF header)"
            default: "\(found.rawValue) where \(allowed.map(\.rawValue).sorted().joined(separator: " or ")) was expected"
            }
            throw RecordingClient.Failure(message: "\(url) is \(what)")
        }
    }
}
