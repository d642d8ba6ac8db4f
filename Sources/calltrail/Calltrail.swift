import ArgumentParser
import CalltrailCore
import Foundation

struct Calltrail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calltrail",
        abstract: "Sync contact-center call records into SQLite, fetch recordings, render reports.",
        discussion: """
            Start with `calltrail demo`: it runs everything against the built-in vendor simulator.
            Exit status: 0 done; 1 done with failures recorded (retried next run); 2 bad configuration
            or arguments; 3 another run holds the lock.
            """,
        subcommands: [NightlyCommand.self, SyncCommand.self, RecordingsCommand.self, ReportCommand.self, QueryCommand.self, HoldCommand.self,
                      EraseCommand.self, AuditCommand.self, TalliesCommand.self, PublishCommand.self, DemoCommand.self, SimulateCommand.self]
    )
}

/// Runs the command and turns every error into one line on stderr and the exit status of docs/DESIGN.md.
@main
enum CalltrailMain {
    static func main() async {
        do {
            var command = try Calltrail.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CalltrailError {
            fail(error.message, code: error.exitCode)
        } catch {
            let code = Calltrail.exitCode(for: error)
            if code == .validationFailure {
                fail(Calltrail.message(for: error) + " (see calltrail --help)", code: 2)
            }
            Calltrail.exit(withError: error)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("calltrail: \(line)\n".utf8))
        exit(code)
    }
}
