import CalltrailArchive
import Foundation

/// `calltrail audit verify --folder DIR`: checks a handed-over case folder without the database, on
/// any machine: every file `SHA256SUMS` lists is re-hashed (the recordings and `manifest.csv`), each
/// recording's sha256 in the manifest must equal its line there, and the first file that differs, is
/// missing, or is in the folder without a line is named.
public enum CaseFolderCheck {
    public struct Result: Sendable, Equatable {
        public var files: Int
        /// `AUDIT-HEAD` as the pull wrote it: the audit row to look for where the database is.
        public var auditHead: String?
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func verify(_ folder: URL) throws -> Result {
        let sumsFile = folder.appendingPathComponent(CompliancePull.sumsName)
        guard let text = try? String(contentsOf: sumsFile, encoding: .utf8) else {
            throw Failure(description: "\(sumsFile.path) cannot be read: give the folder `calltrail recordings pull` wrote (it has SHA256SUMS)")
        }
        var expected: [(name: String, sha256: String)] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 64, parts[1].hasPrefix(" "), !parts[1].dropFirst().contains("/") else {
                throw Failure(description: "line \(index + 1) of \(sumsFile.path) is not `<sha256>  <file>`: the file was edited")
            }
            expected.append((String(parts[1].dropFirst()), String(parts[0])))
        }
        for (name, sha256) in expected {
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { throw Failure(description: "\(name) is listed in SHA256SUMS but missing from \(folder.path)") }
            let actual = try FileHash.sha256(of: url)
            if actual != sha256 { throw Failure(description: "\(name) differs: its sha256 is \(actual), SHA256SUMS has \(sha256)") }
        }
        let listed = Set(expected.map(\.name))
        let present = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        if let extra = present.sorted().first(where: { !listed.contains($0) && $0 != CompliancePull.sumsName && $0 != CompliancePull.headName }) {
            throw Failure(description: "\(extra) is in \(folder.path) but not in SHA256SUMS: it was added after the pull")
        }
        // The manifest (verified above) vouches for each file too: a SHA256SUMS rewritten to match a
        // changed file still disagrees with it.
        if listed.contains("manifest.csv"), let manifest = try? String(contentsOf: folder.appendingPathComponent("manifest.csv"), encoding: .utf8) {
            let rows = manifest.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            if let header = rows.first, let file = header.firstIndex(of: "file"), let hash = header.firstIndex(of: "sha256") {
                let sums = Dictionary(expected.map { ($0.name, $0.sha256) }, uniquingKeysWith: { a, _ in a })
                // A row whose quoted cells moved the columns names no listed file and is passed over.
                for row in rows.dropFirst() where row.count > max(file, hash) {
                    if let listed = sums[row[file]], listed != row[hash] {
                        throw Failure(description: "\(row[file]) differs: manifest.csv has sha256 \(row[hash]), SHA256SUMS \(listed)")
                    }
                }
            }
        }
        let head = try? String(contentsOf: folder.appendingPathComponent(CompliancePull.headName), encoding: .utf8)
        return Result(files: expected.count, auditHead: head?.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
