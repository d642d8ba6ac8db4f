import Foundation
import GRDBSQLite

/// What the figures were measured on.
enum Machine {
    static var description: String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":")[1]).trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
    }

    static var build: String {
        #if DEBUG
        "Swift DEBUG build (figures not representative: use -c release)"
        #else
        "Swift release build"
        #endif
    }

    static var sqlite: String { String(cString: sqlite3_libversion()) }

    /// The server's version, as psql reports it (`PostgreSQL 15.18 …` → `15.18`).
    static func postgres(_ url: String) -> String {
        guard let parts = URLComponents(string: url), let host = parts.host, let user = parts.user,
              let result = try? Measure.run(["psql", "-h", host, "-p", String(parts.port ?? 5432), "-U", user, "-d", String(parts.path.dropFirst()),
                                             "-Atc", "SHOW server_version"]),
              result.status == 0
        else { return "(version unknown)" }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
