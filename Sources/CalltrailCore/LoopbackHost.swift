import Foundation

/// Hosts whose traffic never leaves this machine: 127.0.0.0/8, ::1 and localhost. Only they may be
/// reached without TLS without a word (a plain-http vendor URL warns otherwise; a warehouse refuses
/// `sslmode=disable` otherwise).
public enum LoopbackHost {
    public static func contains(_ host: String) -> Bool {
        let name = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
