import Crypto
import Foundation

/// The key of the keyed hashes (HMAC-SHA256) that stand for a customer's number wherever Calltrail
/// must recognise it without keeping it: the audit log's filters, the erasure records, a released
/// hold after erasure. 32 random bytes in a file only its owner can read, created on first use; the
/// digits of a number's E.164 form are hashed, so `099 123 456` and `+59899123456` hash alike.
public struct SubjectKey: Sendable {
    /// The key's bytes (a SymmetricKey is made per hash: it is not Sendable).
    let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Reads the key file, or creates it (0600) when absent; a file others can read is refused.
    public static func load(path: String) throws -> SubjectKey {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            var bytes = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for index in bytes.indices { bytes[index] = generator.next() }
            guard manager.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw SubjectKeyError(message: "cannot create the compliance key \(path): check the folder's permissions, or set [compliance] key_file")
            }
            return SubjectKey(bytes: bytes)
        }
        let attributes = try manager.attributesOfItem(atPath: path)
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw SubjectKeyError(message: "the compliance key \(path) can be read by others: chmod 600 \(path)")
        }
        guard let data = manager.contents(atPath: path), data.count >= 16 else {
            throw SubjectKeyError(message: "the compliance key \(path) is shorter than 16 bytes: restore it from backup (a new key no longer recognises earlier requests)")
        }
        return SubjectKey(bytes: [UInt8](data))
    }

    /// `hmac-sha256:<hex>` of the number's digits: give it the E.164 form (NumberPlan), so every way of
    /// writing one number hashes alike.
    public func hash(number: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(String(number.filter(\.isNumber)).utf8), using: SymmetricKey(data: bytes))
        return "hmac-sha256:" + code.map { String(format: "%02x", $0) }.joined()
    }
}

public struct SubjectKeyError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension CallFilter {
    /// The filter as the audit log keeps it: JSON with sorted keys, the number replaced by its keyed hash.
    public func auditJSON(key: SubjectKey?) -> String {
        var copy = self
        if let number, let key { copy.number = key.hash(number: number) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(copy)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
