import ArgumentParser
import CalltrailCore
import CalltrailStore
import Foundation

struct TalliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tallies",
        abstract: "The interval tallies every report figure is summed from.",
        subcommands: [TalliesRebuildCommand.self]
    )
}

struct TalliesRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Remake every interval tally from the calls, on the configuration's time zone.",
        discussion: """
            Reports and the publish bring the tallies up to date themselves (every write of a call marks its hour), and a
            report on another zone than the tallies' remakes them all. Run this to do it ahead of a report, for instance
            after changing `timezone`, or to check that the tallies are the calls' (it prints what it made).
            """
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    func run() async throws {
        let configuration = try Configuration.load(path: config)
        let store = try CallStore(path: configuration.databasePath)
        let refresh = try await store.refreshTallies(zone: configuration.timeZone, rebuild: true)
        print("\(refresh.tallies) tallies made from the calls of \(refresh.hours) hours, on \(configuration.timeZone.identifier)")
    }
}
