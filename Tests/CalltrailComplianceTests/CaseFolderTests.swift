import CalltrailArchive
import CalltrailCore
import CalltrailRecordings
import CalltrailStore
import CalltrailTestSupport
import Foundation
import Testing

/// A case folder checks itself: `recordings pull` writes SHA256SUMS and the pull's audit head beside
/// manifest.csv, and `audit verify --folder` checks a copy of it without the database, naming the
/// first file that differs.
extension ComplianceTests {
    @Test(.timeLimit(.minutes(3)))
    func aPulledFolderCopiedElsewhereVerifiesAndOneChangedByteNamesItsFile() async throws {
        let setup = try await setUp("folder", retention: "")
        do {
            try await sync(setup)
            let calls = try await ids(setup.store, "SELECT call_id FROM calls WHERE recording_ref IS NOT NULL ORDER BY started_at LIMIT 6")
            try await fetch(setup, calls)
            let out = setup.harness.folder.appendingPathComponent("case-folder")
            var result = try await binary(setup, ["recordings", "pull", "--out", out.path] + calls.flatMap { ["--call", $0] })
            #expect(result.status == 0, "\(result.stderr)")
            let sums = try String(contentsOf: out.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
            let names = sums.split(separator: "\n").map { String($0.dropFirst(66)) }
            #expect(names.count >= 4 && names.last == "manifest.csv", "\(names)")
            let head = try String(contentsOf: out.appendingPathComponent("AUDIT-HEAD"), encoding: .utf8)
            let pullRow = try #require(try await setup.store.auditLog().last)
            #expect(head.hasPrefix("audit_log row \(pullRow.id ?? 0) \(pullRow.rowHash) "), "\(head)")

            // Handed over: a copy elsewhere, checked with no configuration and no database.
            let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("handed-over-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: out, to: elsewhere)
            result = try await CalltrailBinary.run(["audit", "verify", "--folder", elsewhere.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\(names.count) files in \(elsewhere.path) verify"), "\(result.stdout)")
            // sha256sum reads the same file.
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["sha256sum", "--strict", "--quiet", "-c", "SHA256SUMS"]
            check.currentDirectoryURL = elsewhere
            try check.run()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0)

            // One byte of the second recording changed.
            let changed = elsewhere.appendingPathComponent(names[1])
            var bytes = try Data(contentsOf: changed)
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: changed)
            result = try await CalltrailBinary.run(["audit", "verify", "--folder", elsewhere.path])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(names[1]) differs: its sha256 is"), "\(result.stderr)")
            // SHA256SUMS rewritten to match: manifest.csv still disagrees.
            var lines = sums.split(separator: "\n").map(String.init)
            lines[1] = try FileHash.sha256(of: changed) + "  " + names[1]
            let forged = lines.joined(separator: "\n") + "\n"
            try forged.write(to: elsewhere.appendingPathComponent("SHA256SUMS"), atomically: true, encoding: .utf8)
            result = try await CalltrailBinary.run(["audit", "verify", "--folder", elsewhere.path])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(names[1]) differs: manifest.csv has sha256"), "\(result.stderr)")
            // The original folder still verifies.
            result = try await CalltrailBinary.run(["audit", "verify", "--folder", out.path])
            #expect(result.status == 0, "\(result.stderr)")
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}
