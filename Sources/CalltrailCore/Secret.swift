import Foundation

/// A credential. Its description never shows the value, so it cannot leak through logs,
/// interpolated error messages or `sync_runs`.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    /// Every secret made is registered with `Redaction`, so no error or stored text can carry it.
    public init(_ value: String) {
        self.value = value
        Redaction.register(value)
    }
    public var description: String { Redaction.mask }
    public var debugDescription: String { Redaction.mask }

    /// A credential as read from a variable or file: one trailing newline (LF or CR LF, as `echo` and
    /// editors leave it) is dropped; any other control character is refused, since it would end up in an
    /// HTTP header, where the client refuses it with an error that quotes the header's value. The error
    /// names `origin`, never the value.
    public static func reading(_ raw: String, origin: String) throws -> Secret {
        // Scalars, not Characters: "\r\n" is one Character in Swift.
        var scalars = Array(raw.unicodeScalars)
        if scalars.last == "\n" { scalars.removeLast(); if scalars.last == "\r" { scalars.removeLast() } }
        if scalars.contains(where: isControl) {
            throw CalltrailError.configuration(
                "\(origin) holds a control character (a line break or tab inside the secret): write the secret alone on one line")
        }
        guard !scalars.isEmpty else { throw CalltrailError.configuration("\(origin) is empty: write the secret into it") }
        var value = String.UnicodeScalarView()
        value.append(contentsOf: scalars)
        return Secret(String(value))
    }

    /// Whether a vendor-issued credential (a session token) can be sent in a header as it is.
    public static func isHeaderSafe(_ value: String) -> Bool { !value.unicodeScalars.contains(where: isControl) }

    /// C0, DEL and C1: a header value may hold none of them.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }
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

    /// For a file, a one-line warning when its mode lets its group or others read it (the run itself
    /// refuses such a file); nil otherwise. `nightly --dry-run` says it before the night fails on it.
    public func exposure(for owner: String) -> String? {
        guard case .file(let url) = self else { return nil }
        return Self.exposure(ofFile: url.path, what: "\(owner): password_file")
    }

    /// The same for any secret file (the compliance key too).
    public static func exposure(ofFile path: String, what: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0
        else { return nil }
        return "warning: \(what) \(path) is readable by its group or others (mode \(String(mode, radix: 8))): chmod 600 \(path)"
    }

    /// Reads the credential; `owner` names the configuration entry in the error, e.g. "[[source]] ucontact".
    public func resolve(for owner: String) throws -> Secret {
        switch self {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw CalltrailError.configuration(
                    "\(owner): environment variable \(name) (password_env) is not set: export \(name)=… or use password_file")
            }
            return try Secret.reading(value, origin: "\(owner): environment variable \(name) (password_env)")
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
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw CalltrailError.configuration("\(owner): password_file \(path) is not UTF-8 text: write the password into it")
            }
            return try Secret.reading(text, origin: "\(owner): password_file \(path)")
        }
    }
}
