import ArgumentParser
import CalltrailCore
import CalltrailNightly
import CalltrailStore
import CalltrailWarehouse
import Foundation

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish this site's calls, recordings ledger, runs and names into the [warehouse] PostgreSQL server.",
        discussion: """
            Incremental and idempotent: what changed since the site's mark goes in batches, each one transaction with the
            mark's move, so a publish killed anywhere resumes where it stopped. Rows carry [warehouse] site.
            """
    )

    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @OptionGroup var waiting: LockOptions

    @Option(help: "Rows per batch (one COPY and one transaction each).")
    var batch = 5000

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var tls: TLSOptions

    func validate() throws {
        if !(1...100_000).contains(batch) { throw ValidationError("--batch \(batch) is out of range: use 1 to 100000") }
    }

    func run() async throws {
        var configuration = try Configuration.load(path: config)
        tls.apply(to: &configuration)
        let warehouse = try WarehouseConfiguration.required(configuration)
        let lock = try waiting.take(configuration)
        defer { withExtendedLifetime(lock) {} }
        let store = try CallStore(path: configuration.databasePath)
        var publisher = WarehousePublisher(store: store, warehouse: warehouse, zone: configuration.timeZone, insecure: configuration.insecureTLS,
                                           logger: logging.makeLogger("calltrail.publish"))
        publisher.batchRows = batch
        // A warehouse that stops answering ends the command at the publish stage's deadline ([nightly]).
        let sending = publisher
        let summary: WarehousePublisher.Summary
        do {
            summary = try await StageDeadline.run("publish", seconds: configuration.nightly.deadline(of: "publish")) { try await sending.publish() }
        } catch let passed as StageDeadline.Passed {
            throw CalltrailError.failure(passed.description)
        }
        let rows = summary.rows.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("published site \(warehouse.site) to \(warehouse.address): \(rows)")
    }
}
