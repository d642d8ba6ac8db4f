import Foundation

/// uContact's four recording locations (DESIGN.md), tried in this order, and `url` for vendors that
/// give one URL per recording.
public enum RecordingLocation: String, Sendable, CaseIterable, Codable {
    case telephonyDay = "telephony-day"
    case telephony
    case backupDay = "backup-day"
    case backup
    case url

    /// `{base}/records/{yyyymmdd}/{guid}.{ext}` or `{base}/records/{guid}.{ext}`.
    public static func uContactURL(base: URL, day: String?, name: String, ext: String) -> String {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/records/"
        if let day { text += day + "/" }
        return text + name + "." + ext
    }

    /// The uContact locations configured, in order, with their URL builder.
    public static func uContact(telephony: URL?, backup: URL?) -> [(RecordingLocation, URL, Bool)] {
        var list: [(RecordingLocation, URL, Bool)] = []
        if let telephony { list += [(.telephonyDay, telephony, true), (.telephony, telephony, false)] }
        if let backup { list += [(.backupDay, backup, true), (.backup, backup, false)] }
        return list
    }
}
