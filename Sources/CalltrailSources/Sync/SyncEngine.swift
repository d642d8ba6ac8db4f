import CalltrailCore
import CalltrailHTTP
import CalltrailStore
import Foundation
import Logging

/// Runs the sync contract of docs/DESIGN.md for one source: windows, pages committed with their cursor
/// move, re-reads when a window's count does not add up, one `sync_runs` row.
public struct SyncEngine: Sendable {
    public let store: CallStore
    public let source: any RecordSource
    public let configuration: SourceConfiguration
    public let fetcher: HTTPFetcher
    public let logger: Logger
    /// How often a window whose rows shifted while paging is read again within one run.
    public var maxPasses = 3
    public var progress: ProgressHandler?
    /// False for a case sync (one customer's or agent's calls over a period given on the command
    /// line): its calls are stored like any other, and the source's cursor stays where it was.
    public var movesCursor = true

    public init(store: CallStore, source: any RecordSource, configuration: SourceConfiguration, fetcher: HTTPFetcher, logger: Logger) {
        self.store = store
        self.source = source
        self.configuration = configuration
        self.fetcher = fetcher
        self.logger = logger
    }

    /// Syncs `[from, to)`, or from the cursor when not given. Returns the run as stored.
    /// Failures are recorded in the run (and the cursor stays where it was), never thrown, except
    /// rejected credentials, which are a configuration error.
    public func run(from: Date? = nil, to: Date? = nil, now: Date = Date()) async throws -> SyncRun {
        let name = source.name
        let stored = movesCursor ? try await store.cursor(source: name, endpoint: source.endpoint) : nil
        var cursor = stored ?? SyncCursor(source: name, endpoint: source.endpoint)
        let plan = SyncPlan.make(cursor: stored, source: configuration, from: from, to: to, now: now)
        var run = try await store.startRun(SyncRun(source: name, rangeFrom: plan.range?.start, rangeTo: plan.range?.end))

        do {
            try await source.open()
        } catch let error as SourceError {
            run.retries += fetcher.takeRetries()
            run.failures += 1
            run.lastError = error.calltrailError.message
            run.status = .failed
            run.finishedAt = Date()
            try await store.saveRun(run)
            if case .rejectedCredentials = error { throw error.calltrailError }
            return run
        }

        var rejected: SourceError?
        // One committer for the whole run: windows follow each other without waiting for the writer,
        // and a window's close reaches the database after its pages.
        let committer = try PageCommitter(store: store)
        do {
            do {
                if let resume = plan.resume {
                    logger.info("resuming window", metadata: ["source": "\(name)", "window": "\(resume.window)", "offset": "\(resume.offset)"])
                    try await read(window: resume.window, offset: resume.offset, pass: resume.pass, explicit: plan.explicit,
                                   cursor: &cursor, run: &run, committer: committer)
                }
                for window in plan.windows {
                    // A window the resumed one already covered is skipped; overlaps are harmless anyway.
                    if let resumed = plan.resume?.window, resumed.start <= window.start, resumed.end >= window.end { continue }
                    try await read(window: window, offset: 0, pass: 1, explicit: plan.explicit, cursor: &cursor, run: &run, committer: committer)
                }
                try await committer.drain()
            } catch {
                // Pages already read are committed before the failure is recorded in the run.
                try? await committer.drain()
                throw error
            }
            if let supplementary = source as? any SupplementarySource {
                let warnings = await supplementary.syncSupplements(into: store, period: plan.range)
                for warning in warnings { logger.warning("\(warning)", metadata: ["source": "\(name)"]) }
                run.warnings += warnings
            }
            run.status = run.failures == 0 ? .ok : .failed
        } catch let error as SourceError {
            run.failures += 1
            run.lastError = error.calltrailError.message
            run.status = .failed
            if case .rejectedCredentials = error {
                // Token-only vendors (Meiqia) refuse at the first page rather than at a login.
                rejected = error
            } else {
                logger.error("page failed", metadata: ["source": "\(name)", "error": "\(error.calltrailError.message)"])
            }
        }
        await source.close()
        run.retries += fetcher.takeRetries()
        run.finishedAt = Date()
        try await store.saveRun(run)
        if let rejected { throw rejected.calltrailError }
        return run
    }

    /// Pages one window to its end and closes it on the cursor when its count adds up.
    func read(window: DateInterval, offset startOffset: Int, pass startPass: Int, explicit: Bool,
              cursor: inout SyncCursor, run: inout SyncRun, committer: PageCommitter) async throws {
        var offset = startOffset
        var pass = startPass
        let limit = configuration.pageSize
        // The vendor's total as first reported in this pass: a change means records arrived mid-window.
        var passTotal: Int?
        var totalMoved = false
        run.windows += 1
        // The distinct records read in this window, every pass: what the vendor's count is checked
        // against. A run resuming inside the window starts from what the stopped one stored of it.
        var seen = startOffset > 0 ? try await store.recordKeys(source: source.name, windowStart: window.start) : []
        while true {
            let page = try await source.page(window: window, offset: offset, limit: limit)
            offset += page.count
            if let total = page.reportedTotal {
                if let first = passTotal, first != total { totalMoved = true }
                passTotal = passTotal ?? total
            }
            cursor.windowStart = window.start
            cursor.windowEnd = window.end
            cursor.nextOffset = offset
            cursor.pass = pass
            cursor.updatedAt = Date()
            run.pages += 1
            run.records += page.count
            run.decodeErrors += page.decodeErrors
            run.unknownOutcomes += page.unknownOutcomes
            run.retries += fetcher.takeRetries()
            seen.formUnion(page.records.keys)
            try await committer.submit(PageCommit(source: source.name, pages: [.init(window: window, offset: offset - page.count, records: page.records)],
                                                  cursor: movesCursor ? cursor : nil, run: run))
            logger.debug("page read", metadata: ["source": "\(source.name)", "offset": "\(offset)", "records": "\(page.count)"])
            progress?(.syncPage(source: source.name, pages: run.pages, records: run.records))
            // The end: a short (or empty) page, or the vendor's total reached.
            let reachedTotal = page.reportedTotal.map { offset >= $0 } ?? false
            guard page.count < limit || page.count == 0 || reachedTotal || page.isLast else { continue }

            // The vendor holds `expected` records in this window now. Fewer distinct ones stored, or a
            // total that moved while paging, means rows shifted between pages: read the window again.
            let expected = max(offset, page.reportedTotal ?? 0)
            let stored = seen.count
            if (stored < expected || totalMoved) && pass < maxPasses {
                logger.info("window count does not add up, reading it again",
                            metadata: ["source": "\(source.name)", "stored": "\(stored)", "vendor": "\(offset)"])
                pass += 1
                offset = 0
                passTotal = nil
                totalMoved = false
                run.rereads += 1
                continue
            }
            if stored < expected {
                run.lastError = "window \(window.start)–\(window.end): \(expected) records listed, \(stored) distinct after \(pass) reads; the next run's lookback reads it again"
            }
            // A vendor that answered only part of the window (Vonage's `upTo`) closes that part; the
            // rest is read as a window of its own.
            let closedUntil = page.coveredUntil.map { min(max($0, window.start), window.end) } ?? window.end
            if !explicit || cursor.completeUntil.map({ window.start <= $0 }) ?? true {
                cursor.completeUntil = max(cursor.completeUntil ?? closedUntil, closedUntil)
            }
            cursor.windowStart = nil
            cursor.windowEnd = nil
            cursor.nextOffset = 0
            cursor.pass = 1
            cursor.updatedAt = Date()
            try await committer.submit(PageCommit(source: source.name, pages: [], cursor: movesCursor ? cursor : nil, run: run))
            if closedUntil > window.start && closedUntil < window.end {
                try await read(window: DateInterval(start: closedUntil, end: window.end), offset: 0, pass: 1, explicit: explicit,
                               cursor: &cursor, run: &run, committer: committer)
            }
            return
        }
    }
}
