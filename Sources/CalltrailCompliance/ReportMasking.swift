import CalltrailArchive
import CalltrailCore
import Foundation

/// An erasure's pass over the report folders Calltrail wrote: every file holding the number (a day's
/// calls.csv, abandoned_calls.csv, by_number.csv, report.html) is rewritten with it masked, in place
/// and at the same length, keeping its permissions; a file that cannot be is named with why.
enum ReportMasking {
    static func mask(_ masking: NumberMasking, in folders: [URL]) -> (rewritten: [String], failures: [String]) {
        var rewritten: [String] = [], failures: [String] = []
        var seen: Set<String> = []
        for folder in folders {
            guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let file as URL in files {
                let path = file.standardizedFileURL.path
                guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, seen.insert(path).inserted else { continue }
                do {
                    var bytes = [UInt8](try Data(contentsOf: file))
                    guard masking.mask(&bytes) > 0 else { continue }
                    let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.uint16Value ?? 0o640
                    try DurableFile.write(Data(bytes), to: file, permissions: mode_t(mode))
                    rewritten.append(path)
                } catch {
                    failures.append("\(path) (\(error.localizedDescription)): remove it, e.g. rm \(path)")
                }
            }
        }
        return (rewritten, failures)
    }
}
