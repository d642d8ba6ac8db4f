import Foundation

/// Where the simulated platform keeps a call's recording: spread over the four locations, some only
/// as GSM (raw or WAV49), some missing, one corrupt file and one HTML error page served as 200.
public enum RecordingPlacement: Sendable, Equatable {
    public enum Location: String, Sendable, CaseIterable {
        case telephonyDay = "telephony-day", telephony, backupDay = "backup-day", backup

        var server: String { self == .telephonyDay || self == .telephony ? "telephony" : "backup" }
        var dayFolder: Bool { self == .telephonyDay || self == .backupDay }
    }

    case mp3(Location)
    case gsm(Location, wav49: Bool, convertible: Bool)
    case missing
    /// Bytes that are no audio, at an MP3 path.
    case corrupt(Location)
    /// An HTML error page with status 200, at an MP3 path.
    case htmlPage(Location)
    /// A raw GSM file cut short: its size is no multiple of 33 bytes (no MP3, no conversion on the server).
    case truncatedGSM(Location)

    /// The n-th recorded call of the history, with a hash of its guid choosing the rest.
    static func choose(index: Int, guid: String) -> RecordingPlacement {
        if index == 3 { return .corrupt(.telephonyDay) }
        if index == 4 { return .htmlPage(.telephony) }
        if index == 5 { return .truncatedGSM(.backup) }
        var hasher = FNV()
        hasher.add(guid)
        let u = Double(hasher.value % 10_000) / 10_000
        let location = Location.allCases[Int((hasher.value >> 20) % 4)]
        let convertible = (hasher.value >> 30) % 5 < 3
        switch u {
        case ..<0.45: return .mp3(.telephonyDay)
        case ..<0.62: return .mp3(.telephony)
        case ..<0.74: return .mp3(.backupDay)
        case ..<0.80: return .mp3(.backup)
        case ..<0.89: return .gsm(location, wav49: false, convertible: convertible)
        case ..<0.95: return .gsm(location, wav49: true, convertible: convertible)
        default: return .missing
        }
    }

    struct FNV {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ text: String) {
            for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
    }
}
