import ArgumentParser
import CalltrailCore
import CalltrailNightly
import Foundation

struct NightlyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "Sync every source, fetch recordings, render yesterday's report; print a one-line JSON summary.",
        discussion: """
            For cron: one run at a time (a second one exits 3 at once, naming the holder), each stage resumes
            where a killed run stopped, a failed stage is recorded and the next one still runs.
            Exit status: 0 all done; 1 done with failures (retried next run); 2 bad configuration; 3 locked.
            Example crontab line: 0 2 * * * cd /srv/calltrail && calltrail nightly --quiet >> nightly.log 2>&1
            """
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @Flag(help: "Show the windows, locations and report period a run would use; change nothing.")
    var dryRun = false

    @OptionGroup var waiting: LockOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var tls: TLSOptions

    @Option(help: "Folder for the report (default: reports/YYYY-MM-DD beside the database).")
    var reportOut: String?

    func run() async throws {
        var configuration = try Configuration.load(path: config)
        tls.apply(to: &configuration)
        if dryRun {
            for line in try DryRun.describe(configuration) { print(line) }
            return
        }
        let logger = logging.makeLogger("calltrail.nightly")
        let display = ProgressDisplay(quiet: logging.quiet, logger: logger)
        let summary = try await NightlyPipeline(configuration: configuration, logger: logger)
            .run(reportFolder: reportOut.map { URL(fileURLWithPath: $0) }, lockWait: waiting.seconds, progress: display.handler)
        display.finish()
        if !logging.quiet {
            for line in summary.stageLines { print(line) }
            if let report = summary.report { print("open \(report)") }
        }
        print(summary.line)
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
