import Foundation
import TOMLKit

/// Typed reads from one TOML table, each failure a one-line error naming the key and the fix.
public struct TableReader {
    let table: TOMLTable
    /// "calltrail.toml [[source]] #1": where the key lives, for messages.
    public let context: String
    /// The configuration file's folder: relative paths are resolved against it.
    public let directory: URL

    public init(table: TOMLTable, context: String, directory: URL) {
        self.table = table
        self.context = context
        self.directory = directory
    }

    /// A TOML text's top table; a syntax error names the file, line and column.
    public static func parse(_ text: String, name: String, directory: URL) throws -> TableReader {
        do {
            return TableReader(table: try TOMLTable(string: text), context: name, directory: directory)
        } catch let error as TOMLParseError {
            throw CalltrailError.configuration(
                "\(name) line \(error.source.begin.line), column \(error.source.begin.column): \(error.description): fix the TOML syntax")
        } catch {
            throw CalltrailError.configuration("\(name): not valid TOML (\(error)): fix the TOML syntax")
        }
    }

    public func has(_ key: String) -> Bool { table[key] != nil }

    /// The table's keys, in file order.
    public var keys: [String] { Array(table.keys) }

    /// An optional http(s) URL.
    public func optionalURL(_ key: String, example: String) throws -> URL? {
        has(key) ? try url(key, example: example) : nil
    }

    public func string(_ key: String, example: String) throws -> String {
        guard let value = try optionalString(key) else {
            throw CalltrailError.configuration("\(context) has no \(key): add \(key) = \"\(example)\"")
        }
        return value
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string, !string.isEmpty else {
            throw CalltrailError.configuration("\(context): \(key) must be a non-empty string: write \(key) = \"…\"")
        }
        return string
    }

    public func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let value = table[key] else { return fallback }
        guard let int = value.int, range.contains(int) else {
            throw CalltrailError.configuration(
                "\(context): \(key) must be a whole number from \(range.lowerBound) to \(range.upperBound): write \(key) = \(fallback)")
        }
        return int
    }

    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = table[key] else { return fallback }
        guard let bool = value.bool else {
            throw CalltrailError.configuration("\(context): \(key) must be true or false: write \(key) = \(fallback)")
        }
        return bool
    }

    public func double(_ key: String, default fallback: Double, range: ClosedRange<Double>) throws -> Double {
        guard let value = table[key] else { return fallback }
        guard let number = value.double ?? value.int.map(Double.init), range.contains(number) else {
            throw CalltrailError.configuration(
                "\(context): \(key) must be a number from \(range.lowerBound) to \(range.upperBound): write \(key) = \(fallback)")
        }
        return number
    }

    public func timeZone(_ key: String, default fallback: TimeZone) throws -> TimeZone {
        guard let name = try optionalString(key) else { return fallback }
        guard let zone = TimeZone(identifier: name) else {
            throw CalltrailError.configuration("\(context): \(key) '\(name)' is not an IANA time zone: use a name such as America/Montevideo")
        }
        return zone
    }

    /// An http(s) URL without credentials in it: a `user:password@` part would be copied wherever the URL
    /// goes (recordings' `origin_url`, manifests, the warehouse), so it is refused, and the error does
    /// not repeat it. A plain `http://` URL to another host than this one is accepted with a warning.
    public func url(_ key: String, example: String) throws -> URL {
        let text = try string(key, example: example)
        let parsed = URL(string: text)
        if let parsed, parsed.user != nil || parsed.password != nil || text.split(separator: "/").dropFirst().first?.contains("@") == true {
            throw CalltrailError.configuration(
                "\(context): \(key) holds credentials (user:password@host): remove them from the URL and name the secret with password_env or password_file")
        }
        guard let url = parsed, let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil
        else {
            throw CalltrailError.configuration("\(context): \(key) '\(text)' is not an http(s) URL: write \(key) = \"\(example)\"")
        }
        if scheme == "http" { PlainHTTPWarning.note(url, key: key, context: context) }
        return url
    }

    /// A path, resolved against the configuration file's folder when relative.
    public func path(_ key: String, default fallback: String) throws -> String {
        let raw = try optionalString(key) ?? fallback
        return resolve(raw)
    }

    public func resolve(_ raw: String) -> String {
        raw.hasPrefix("/") ? raw : directory.appendingPathComponent(raw).path
    }

    public func localDateTime(_ key: String) throws -> LocalDateTime? {
        guard let text = try optionalString(key) else { return nil }
        guard let value = LocalDateTime(parsing: text) else {
            throw CalltrailError.configuration("\(context): \(key) '\(text)' is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS")
        }
        return value
    }

    public func stringMap(_ key: String) throws -> [String: String] {
        guard let value = table[key] else { return [:] }
        guard let inner = value.table else {
            throw CalltrailError.configuration("\(context): \(key) must be a table of names: write \(key) = { src = \"caller\" }")
        }
        var map: [String: String] = [:]
        for name in inner.keys {
            guard let mapped = inner[name]?.string else {
                throw CalltrailError.configuration("\(context): \(key).\(name) must be a string: write \(name) = \"vendor_field\"")
            }
            map[name] = mapped
        }
        return map
    }

    /// A nested table (`filter = { campaign = "Ventas->" }`), read with the same messages; nil when
    /// absent.
    public func table(_ key: String, example: String) throws -> TableReader? {
        guard let value = table[key] else { return nil }
        guard let inner = value.table else {
            throw CalltrailError.configuration("\(context): \(key) must be a table: write \(key) = \(example)")
        }
        return TableReader(table: inner, context: "\(context) \(key)", directory: directory)
    }

    /// A list of strings (`campaigns = ["Ventas<-"]`); empty when absent.
    public func stringList(_ key: String, example: String) throws -> [String] {
        guard let value = table[key] else { return [] }
        guard let array = value.array else {
            throw CalltrailError.configuration("\(context): \(key) must be a list of strings: write \(key) = [\"\(example)\"]")
        }
        return try array.map { element in
            guard let text = element.string, !text.isEmpty else {
                throw CalltrailError.configuration("\(context): \(key) must be a list of non-empty strings: write \(key) = [\"\(example)\"]")
            }
            return text
        }
    }

    /// A list of whole numbers (`agent_ids = [1001, 1002]`); empty when absent.
    public func intList(_ key: String, example: Int) throws -> [Int] {
        guard let value = table[key] else { return [] }
        let message = "\(context): \(key) must be a list of whole numbers: write \(key) = [\(example)]"
        guard let array = value.array else { throw CalltrailError.configuration(message) }
        return try array.map { element in
            guard let number = element.int else { throw CalltrailError.configuration(message) }
            return number
        }
    }

    /// An array of tables (`[[retention.override]]`), each read with the same messages; empty when absent.
    public func tables(_ key: String, example: String) throws -> [TableReader] {
        guard let value = table[key] else { return [] }
        guard let array = value.array else {
            throw CalltrailError.configuration("\(context): \(key) must be an array of tables: write it as \(example)")
        }
        return try array.map { element in
            guard let inner = element.table else {
                throw CalltrailError.configuration("\(context): \(key) must be an array of tables: write it as \(example)")
            }
            return TableReader(table: inner, context: "\(context) \(key)", directory: directory)
        }
    }
}
