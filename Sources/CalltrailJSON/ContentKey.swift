import Foundation

/// A stable key for a record that carries no id of its own: FNV-1a 64 over its bytes.
/// Identical payloads share a key, so a malformed record read twice is stored once.
public enum ContentKey {
    public static func of(_ data: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "content:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
