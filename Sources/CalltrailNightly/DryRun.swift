import CalltrailCore
import CalltrailReports
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation

/// What a nightly run would do, read without writing anything: the database is opened read-only
/// (and not at all when it does not exist yet), no lock is taken, no request is sent.
public enum DryRun {
    public static func describe(_ configuration: CalltrailCore.Configuration, now: Date = Date()) throws -> [String] {
        var lines: [String] = []
        var cursors: [String: SyncCursor] = [:]
        var windows: [String: [SyncWindow]] = [:]
        if FileManager.default.fileExists(atPath: configuration.databasePath) {
            let (storedCursors, storedWindows) = try CallStore.syncState(readingOnly: configuration.databasePath)
            for cursor in storedCursors { cursors[cursor.source] = cursor }
            for window in storedWindows { windows[window.source, default: []].append(window) }
            lines.append("database \(configuration.databasePath) (exists; opened read-only)")
        } else {
            lines.append("database \(configuration.databasePath) (would be created)")
        }
        let zone = configuration.timeZone
        func local(_ date: Date) -> String { LocalDateTime.iso8601(date, in: zone) }
        for source in configuration.sources {
            let plan = SyncPlan.make(cursor: cursors[source.name], windows: windows[source.name] ?? [], source: source, from: nil, to: nil, now: now)
            lines.append("sync \(source.name) (\(source.kind)) at \(source.baseURL.absoluteString), \(source.concurrency) \(source.concurrency == 1 ? "window" : "windows") at a time"
                         + (source.maxRequestsPerSecond.map { ", at most \(String(format: "%g", $0)) requests/s" } ?? ""))
            for read in plan.reads {
                let resume = read.resumed ? "resume window" : "window"
                lines.append("  \(resume) \(local(read.window.start)) – \(local(read.window.end))" + (read.offset > 0 ? " at offset \(read.offset)" : ""))
            }
            for window in plan.finished { lines.append("  skip window \(local(window.start)) – \(local(window.end)) (read to its end by a stopped run)") }
            if plan.reads.isEmpty { lines.append("  nothing to read: the cursor is at the end of the settle delay") }
            for line in Platforms.platform(of: source).recordingPlan(for: source) { lines.append("  " + line) }
        }
        lines.append("recordings into \(configuration.recordings.folder), \(configuration.recordings.concurrency) at a time")
        if let retention = configuration.retention {
            let general = [retention.recordingsDays.map { "recordings \($0) days" }, retention.callsDays.map { "calls \($0) days" }].compactMap { $0 }
            lines.append("retention: \((general.isEmpty ? ["no general rule"] : general).joined(separator: ", ")), \(retention.overrides.count) overrides; legal holds exempt (what goes: `calltrail recordings purge --dry-run`)")
        }
        let (from, to) = ReportParameters.yesterday(in: zone, now: now)
        lines.append("report \(local(from)) – \(local(to)) (\(zone.identifier))")
        // Secret files others can read: the run refuses them, the dry run says so first.
        lines += configuration.sources.compactMap { $0.credential.exposure(for: "[[source]] \($0.name)") }
        if let warning = configuration.warehouse?.credential?.exposure(for: "[warehouse]") { lines.append(warning) }
        if let warning = CredentialReference.exposure(ofFile: configuration.compliance.keyFile, what: "[compliance] key_file") { lines.append(warning) }
        return lines
    }
}
