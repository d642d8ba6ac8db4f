import CalltrailHTTP
import Foundation

/// One of uContact's four recording locations (seed 003, docs/DESIGN.md), tried in the order
/// `configured` gives: the telephony server with and without the day folder, then the backup server.
public struct UContactRecordingLocation: Sendable {
    /// The name the ledger keeps for the location a recording came from.
    public enum Label: String, Sendable, CaseIterable {
        case telephonyDay = "telephony-day"
        case telephony
        case backupDay = "backup-day"
        case backup
    }

    public let label: Label
    let base: URL
    let dayed: Bool

    /// `{base}/records/{yyyymmdd}/{guid}.{ext}` or `{base}/records/{guid}.{ext}`.
    public func url(day: String, name: String, ext: String) -> String {
        Endpoint.join(base, "records/" + (dayed ? day + "/" : "") + name + "." + ext)
    }

    /// The locations configured, in the order they are tried.
    public static func configured(telephony: URL?, backup: URL?) -> [UContactRecordingLocation] {
        var list: [UContactRecordingLocation] = []
        if let telephony { list += [.init(label: .telephonyDay, base: telephony, dayed: true), .init(label: .telephony, base: telephony, dayed: false)] }
        if let backup { list += [.init(label: .backupDay, base: backup, dayed: true), .init(label: .backup, base: backup, dayed: false)] }
        return list
    }
}
