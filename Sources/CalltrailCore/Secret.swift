import Foundation

/// A credential. Its description never shows the value, so it cannot leak through logs,
/// interpolated error messages or `sync_runs`.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "‹secret›" }
    public var debugDescription: String { "‹secret›" }
}

/// Where a credential lives: an environment variable named in the configuration, or a file that only
/// its owner can read (mode 0600 or stricter).
public enum CredentialReference: Sendable, Equatable {
    case environment(String)
    case file(URL)

    /// `password_env` or `password_file` of a table (a file relative to the configuration's folder);
    /// nil when neither is set, an error when both are.
    public static func read(from reader: TableReader, context: String) throws -> CredentialReference? {
        switch (try reader.optionalString("password_env"), try reader.optionalString("password_file")) {
        case (let env?, nil): .environment(env)
        case (nil, let file?): .file(URL(fileURLWithPath: reader.resolve(file)))
        case (.some, .some): throw CalltrailError.configuration("\(context) has both password_env and password_file: keep one")
        case (nil, nil): nil
        }
    }

    /// Reads the credential; `owner` names the configuration entry in the error, e.g. "[[source]] ucontact".
    public func resolve(for owner: String) throws -> Secret {
        switch self {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw CalltrailError.configuration(
                    "\(owner): environment variable \(name) (password_env) is not set: export \(name)=… or use password_file")
            }
            return Secret(value)
        case .file(let url):
            let path = url.path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
                throw CalltrailError.configuration("\(owner): password_file \(path) cannot be read: create it with the password and chmod 600")
            }
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            guard mode & 0o077 == 0 else {
                throw CalltrailError.configuration(
                    "\(owner): password_file \(path) is readable by others (mode \(String(mode, radix: 8))): chmod 600 \(path)")
            }
            guard let data = FileManager.default.contents(atPath: path),
                  let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !text.isEmpty
            else {
                throw CalltrailError.configuration("\(owner): password_file \(path) is empty: write the password into it")
            }
            return Secret(text)
        }
    }
}
