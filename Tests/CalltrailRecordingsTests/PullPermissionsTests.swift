import CalltrailCore
import CalltrailTestSupport
import Foundation
import Testing

/// Issue #33, item 6: a case folder handed over is 0750 and its manifest 0640, whatever the umask and
/// however the folder was made before the pull. The real binary, with umask 000.
@Suite(.serialized) struct PullPermissionsTests {
    @Test(.timeLimit(.minutes(2)))
    func aPulledCaseFolderIs0750AndItsManifest0640UnderAnOpenUmask() async throws {
        let tests = RecordingsTests()
        let setup = try await tests.setUp("pullmodes")
        do {
            let id = setup.calls[0]
            await setup.harness.simulator.recordings.place(id, .mp3(.telephonyDay))
            _ = try await tests.fetch(setup, [id])
            let out = setup.harness.folder.appendingPathComponent("case-33")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            chmod(out.path, 0o777)
            let config = setup.configuration.file.path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask 000; exec \"$0\" recordings pull --config \"$1\" --call \"$2\" --out \"$3\" > /dev/null 2>&1",
                                 CalltrailBinary.url.path, config, id, out.path]
            try process.run()
            for _ in 0..<6000 where process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)

            func mode(_ url: URL) throws -> Int {
                (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
            }
            #expect(try mode(out) == 0o750, "the case folder")
            #expect(try mode(out.appendingPathComponent("manifest.csv")) == 0o640, "the manifest")
            let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".mp3") }
            #expect(files.count == 1)
            for file in files { #expect(try mode(out.appendingPathComponent(file)) == 0o640, "\(file)") }
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}
