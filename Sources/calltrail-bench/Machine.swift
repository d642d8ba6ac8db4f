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
}
