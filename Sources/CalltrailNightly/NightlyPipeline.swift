import CalltrailArchive
import CalltrailCompliance
import CalltrailCore
import CalltrailRecordings
import CalltrailReports
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import CalltrailWarehouse
import Foundation
import Logging
import Synchronization

/// sync → recordings → retention (when `[retention]` is configured) → publish (when `[warehouse]` is)
/// → report. Each stage is idempotent and resumable on its own, so a run killed
/// anywhere is completed by the next one; a failed stage is recorded and the next stage still runs.
public struct NightlyPipeline: Sendable {
    public let configuration: Configuration
    public let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// `reportFolder` nil: `reports/<day>` beside the database.
    /// Runs under the lock, waiting up to `lockWait` seconds for another run to end.
    public func run(now: Date = Date(), reportFolder: URL? = nil, syncUntil: Date? = nil, lockWait: TimeInterval = 0,
                    progress: ProgressHandler? = nil) async throws -> NightlySummary {
        let lock = try RunLock(path: RunLock.path(forDatabase: configuration.databasePath), wait: lockWait, now: now)
        defer { withExtendedLifetime(lock) {} }
        let started = Date()
        let store = try CallStore(path: configuration.databasePath, audit: AuditTrail(configuration: configuration))
        var stages: [StageSummary] = []

        stages.append(try await timed("sync") {
            let runs = try await SyncCoordinator.run(sources: configuration.sources, platforms: Platforms(), store: store, from: nil, to: syncUntil, logger: logger, progress: progress,
                                                      insecureTLS: configuration.insecureTLS)
            var summary = StageSummary(stage: "sync")
            summary.counts = [
                "sources": runs.count, "pages": runs.reduce(0) { $0 + $1.pages }, "records": runs.reduce(0) { $0 + $1.records },
                "retries": runs.reduce(0) { $0 + $1.retries }, "rereads": runs.reduce(0) { $0 + $1.rereads },
                "undecodable": runs.reduce(0) { $0 + $1.decodeErrors }, "calls": try await store.callCount(),
            ]
            summary.failures = runs.filter { $0.status != .ok }.count
            // Every failed source by name: one refusing its credentials fails alone, the others synced.
            let failed = runs.filter { $0.status != .ok }.map { "\($0.source): \($0.lastError ?? "failed; retried next run")" }
            summary.error = failed.isEmpty ? nil : failed.joined(separator: "; ")
            summary.warnings = runs.flatMap { run in run.warnings.map { "\(run.source): \($0)" } }
            return summary
        })

        stages.append(try await timed("recordings") {
            let result = try await RecordingsStage.run(configuration: configuration, store: store, filter: CallFilter(),
                                                       concurrency: configuration.recordings.concurrency, resolvers: Platforms(),
                                                       logger: logger, progress: progress)
            var summary = StageSummary(stage: "recordings")
            summary.counts = ["tried": result.attempted]
            for (state, count) in result.states { summary.counts[state.rawValue] = count }
            summary.failures = result.failed
            summary.error = result.failures.first
            return summary
        })

        if let retention = configuration.retention {
            stages.append(try await timed("retention") {
                let archive = RecordingArchive(root: URL(fileURLWithPath: configuration.recordings.folder), timeZone: configuration.timeZone)
                let result = try await RetentionPurge(store: store, archive: archive, retention: retention,
                                                        numbers: configuration.compliance.numberPlan).run(now: now)
                return StageSummary(stage: "retention", counts: [
                    "purged_recordings": result.plan.recordings.count, "deleted_calls": result.plan.calls.count,
                    "bytes": result.removedBytes, "held_recordings": result.plan.heldRecordings, "held_calls": result.plan.heldCalls,
                ])
            })
        }

        if let warehouse = configuration.warehouse {
            stages.append(try await timed("publish") {
                let summary = try await WarehousePublisher(store: store, warehouse: warehouse, zone: configuration.timeZone, insecure: configuration.insecureTLS,
                                                           logger: logger).publish()
                return StageSummary(stage: "publish", counts: summary.rows.merging(["batches": summary.batches]) { a, _ in a })
            })
        }

        let reportPath = Mutex<String?>(nil)
        stages.append(try await timed("report") {
            // Yesterday's report, and last week's on Mondays and last month's on the 1st, each into its
            // folder of the shelf and onto its index.html. The shelf is reports/ beside the database, or
            // the folder that holds --report-out (yesterday's report is then that folder).
            let zone = configuration.timeZone
            let shelf = ReportShelf(root: reportFolder?.deletingLastPathComponent()
                                    ?? URL(fileURLWithPath: configuration.databasePath).deletingLastPathComponent().appendingPathComponent("reports"))
            var counts: [String: Int] = [:]
            var warnings: [String] = []
            for period in ReportShelf.due(now: now, in: zone, weekly: configuration.nightly.weeklyReport, monthly: configuration.nightly.monthlyReport) {
                let (from, to) = period == .day ? ReportParameters.yesterday(in: zone, now: now) : period.lastComplete(before: now, in: zone)
                let parameters = ReportParameters(from: from, to: to, timeZone: zone, period: period)
                let name = (period == .day ? reportFolder?.lastPathComponent : nil) ?? ReportShelf.folderName(period, from: from, in: zone)
                let output = try await ReportPipeline(store: store).render(parameters, into: shelf.root.appendingPathComponent(name), now: now)
                try shelf.record(ReportShelf.Entry(period: period, parameters: parameters, folder: name, headline: output.figures.headline))
                counts["files", default: 0] += output.files.count
                counts["reports", default: 0] += 1
                if period == .day {
                    reportPath.withLock { $0 = output.html?.path }
                    counts["offered"] = output.figures.headline.offered
                    warnings = MappingCheckWarnings.of(output.figures.mappingChecks)
                }
            }
            return StageSummary(stage: "report", counts: counts, warnings: warnings)
        })

        let failed = stages.contains { $0.failures > 0 }
        return NightlySummary(status: failed ? "failures" : "ok", exitCode: failed ? 1 : 0,
                              seconds: Date().timeIntervalSince(started), stages: stages, report: reportPath.withLock { $0 })
    }

    /// Runs a stage within its deadline (`[nightly]`); an error that is not a configuration error, or
    /// the deadline passing, becomes the stage's failure.
    func timed(_ stage: String, _ body: @escaping @Sendable () async throws -> StageSummary) async throws -> StageSummary {
        let start = Date()
        var summary: StageSummary
        do {
            summary = try await StageDeadline.run(stage, seconds: configuration.nightly.deadline(of: stage), body)
        } catch let error as CalltrailError where error.kind != .failure {
            throw error
        } catch {
            logger.error("stage failed", metadata: ["stage": "\(stage)", "error": "\(error)"])
            summary = StageSummary(stage: stage, failures: 1, error: "\(error)".split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}
