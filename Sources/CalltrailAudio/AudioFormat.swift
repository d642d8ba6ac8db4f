import Foundation

/// What a file's first bytes say it is. Downloads are checked with this before they are kept: an HTML
/// error page served with status 200 must never be archived as a recording.
public enum AudioFormat: String, Sendable, Equatable {
    case mp3
    /// Asterisk's raw GSM 06.10: 33-byte frames whose first byte has the high nibble 0xD.
    case gsm
    /// WAV49 / MS-GSM: RIFF/WAVE with format tag 0x0031.
    case wav49
    /// RIFF/WAVE with 16-bit PCM.
    case wav
    case html
    case unknown

    public static func sniff(_ bytes: some Collection<UInt8>) -> AudioFormat {
        let head = Array(bytes.prefix(4096))
        guard head.count >= 4 else { return .unknown }
        if head.starts(with: Array("ID3".utf8)) { return .mp3 }
        if head.starts(with: Array("RIFF".utf8)), head.count >= 12, Array(head[8..<12]) == Array("WAVE".utf8) {
            switch RIFFReader.formatTag(head) {
            case 0x0031: return .wav49
            case 0x0001: return .wav
            default: return .unknown
            }
        }
        // MPEG audio frame sync: 11 set bits, a layer that is not "reserved".
        if head[0] == 0xFF, head[1] & 0xE0 == 0xE0, head[1] & 0x06 != 0 { return .mp3 }
        if Self.looksLikeRawGSM(head) { return .gsm }
        let text = String(decoding: head.prefix(512), as: UTF8.self).lowercased()
        if text.contains("<html") || text.contains("<!doctype") || text.contains("<body") { return .html }
        return .unknown
    }

    /// The first frames (up to 10) all begin with the GSM magic nibble.
    static func looksLikeRawGSM(_ head: [UInt8]) -> Bool {
        let frames = min(10, head.count / 33)
        guard frames >= 1 else { return false }
        return (0..<frames).allSatisfy { head[$0 * 33] & 0xF0 == 0xD0 }
    }

    public var fileExtension: String {
        switch self {
        case .mp3: "mp3"
        case .gsm: "gsm"
        case .wav49, .wav: "wav"
        case .html: "html"
        case .unknown: "bin"
        }
    }
}
