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

    /// Syncs `[from, to)`, or from the cursor when not given, reading up to `configuration.concurrency`
    /// windows at once. Returns the run as stored. Failures (refused credentials, an unreachable host,
    /// a malformed answer) are recorded in the run and the cursor stays where it was: they fail this
    /// source alone, never thrown, so the other sources and the later stages still run.
    public func run(from: Date? = nil, to: Date? = nil, now: Date = Date()) async throws -> SyncRun {
        let name = source.name
        let stored = movesCursor ? try await store.cursor(source: name, endpoint: source.endpoint) : nil
        let open = movesCursor ? try await store.syncWindows(source: name, endpoint: source.endpoint) : []
        let plan = SyncPlan.make(cursor: stored, windows: open, source: configuration, from: from, to: to, now: now)
        var started = SyncRun(source: name, rangeFrom: plan.range?.start, rangeTo: plan.range?.end)
        if let asked = plan.cutFrom {
            let utc = TimeZone(identifier: "UTC")!
            let cut = "--to \(LocalDateTime.iso8601(asked, in: utc)) is later than now less settle_minutes: read up to \(LocalDateTime.iso8601(plan.range?.end ?? now, in: utc)) only; a later run reads the rest"
            logger.info("\(cut)", metadata: ["source": "\(name)"])
            started.warnings.append(cut)
        }
        var run = try await store.startRun(started)

        do {
            try await source.open()
        } catch let error as SourceError {
            run.retries += fetcher.takeRetries()
            run.failures += 1
            run.lastError = error.calltrailError.message
            run.status = .failed
            run.finishedAt = Date()
            try await store.saveRun(run)
            return run
        }

        // One committer for the whole run: windows follow each other without waiting for the writer,
        // and a window's close reaches the database after its pages.
        let committer = try PageCommitter(store: store)
        let frontier = SyncFrontier(plan: plan, cursor: stored, source: name, endpoint: source.endpoint, movesCursor: movesCursor, run: run)
        do {
            do {
                if let opening = frontier.opening() { try await committer.submit(opening) }
                for read in plan.resumed {
                    logger.info("resuming window", metadata: ["source": "\(name)", "window": "\(read.window)", "offset": "\(read.offset)"])
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Windows start in order, at most `concurrency` at a time: the cursor's prefix
                    // moves as the earliest ones finish.
                    var next = 0
                    func startNext() {
                        let index = next
                        next += 1
                        group.addTask {
                            try await self.read(plan.reads[index], entry: frontier.readEntries[index], frontier: frontier, committer: committer)
                        }
                    }
                    while next < min(plan.reads.count, configuration.concurrency) { startNext() }
                    while try await group.next() != nil {
                        if next < plan.reads.count { startNext() }
                    }
                }
                try await committer.drain()
            } catch {
                // Pages already read are committed before the failure is recorded in the run.
                try? await committer.drain()
                throw error
            }
            run = frontier.run
            if let supplementary = source as? any SupplementarySource {
                let warnings = await supplementary.syncSupplements(into: store, period: plan.range)
                for warning in warnings { logger.warning("\(warning)", metadata: ["source": "\(name)"]) }
                run.warnings += warnings
            }
            run.status = run.failures == 0 ? .ok : .failed
        } catch let error as SourceError {
            run = frontier.run
            run.failures += 1
            run.lastError = error.calltrailError.message
            run.status = .failed
            // Token-only vendors (Meiqia) refuse at the first page rather than at a login: the run's
            // error says so, as a login's refusal does.
            if case .rejectedCredentials = error {} else {
                logger.error("page failed", metadata: ["source": "\(name)", "error": "\(error.calltrailError.message)"])
            }
        }
        await source.close()
        run.retries += fetcher.takeRetries()
        run.requests = fetcher.requestsSent
        run.finishedAt = Date()
        try await store.saveRun(run)
        return run
    }

    /// Pages one window to its end and closes it when its count adds up; a window the vendor answered
    /// only in part goes on as the rest of it.
    func read(_ planned: SyncPlan.Read, entry id: Int, frontier: SyncFrontier, committer: PageCommitter) async throws {
        var window = planned.window
        var offset = planned.offset
        var pass = planned.pass
        let limit = configuration.pageSize
        // The vendor's total as first reported in this pass: a change means records arrived mid-window.
        var passTotal: Int?
        var totalMoved = false
        frontier.started(id)
        // The distinct records read in this window, every pass: what the vendor's count is checked
        // against. A run resuming inside the window starts from what the stopped one stored of it.
        var seen = offset > 0 ? try await store.recordKeys(source: source.name, windowStart: window.start) : []
        while true {
            let page = try await source.page(window: window, offset: offset, limit: limit)
            let pageOffset = offset
            offset += page.count
            if let total = page.reportedTotal {
                if let first = passTotal, first != total { totalMoved = true }
                passTotal = passTotal ?? total
            }
            seen.formUnion(page.records.keys)
            let retries = fetcher.takeRetries()
            let (currentWindow, nextOffset, currentPass) = (window, offset, pass)
            try await committer.submit {
                frontier.page(id, window: currentWindow, offset: pageOffset, page: page, nextOffset: nextOffset, pass: currentPass, retries: retries)
            }
            logger.debug("page read", metadata: ["source": "\(source.name)", "offset": "\(offset)", "records": "\(page.count)"])
            if let progress {
                let run = frontier.run
                progress(.syncPage(source: source.name, pages: run.pages, records: run.records, windowsInFlight: frontier.inFlight))
            }
            // The end: a short (or empty) page, or the vendor's total reached.
            let reachedTotal = page.reportedTotal.map { offset >= $0 } ?? false
            guard page.served < limit || reachedTotal || page.isLast else { continue }

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
                let (rereadWindow, rereadPass) = (window, pass)
                try await committer.submit { frontier.reread(id, window: rereadWindow, pass: rereadPass) }
                continue
            }
            if stored < expected {
                // Never finished over records not stored: the window stays open (the cursor stops at
                // it) and is read again by every run until its count holds or an operator closes it.
                let utc = TimeZone(identifier: "UTC")!
                let start = LocalDateTime.iso8601(window.start, in: utc)
                let span = "window \(start)–\(LocalDateTime.iso8601(window.end, in: utc)): \(expected) records listed, \(stored) distinct after \(pass) reads"
                let note = movesCursor
                    ? "\(span); left open and read again next run (or closed by `calltrail sync --source \(source.name) --close-window \(start) --reason TEXT`)"
                    : "\(span); run the case sync again for the rest"
                logger.info("window left open", metadata: ["source": "\(source.name)", "note": "\(note)"])
                let shortWindow = window
                try await committer.submit { frontier.leftOpen(id, window: shortWindow, note: note) }
                return
            }
            // A vendor that answered only part of the window (Vonage's `upTo`) closes that part; the
            // rest is read as a window of its own.
            if let covered = page.coveredUntil, covered <= window.start {
                // Answered "up to" a time the window had not passed: closing anything would skip records.
                let utc = TimeZone(identifier: "UTC")!
                throw SourceError.protocolViolation(source: source.name, url: source.endpoint,
                                                    detail: "upTo \(LocalDateTime.iso8601(covered, in: utc)), not after the window's start \(LocalDateTime.iso8601(window.start, in: utc))")
            }
            let closedUntil = page.coveredUntil.map { min($0, window.end) } ?? window.end
            guard closedUntil > window.start && closedUntil < window.end else {
                try await committer.submit { frontier.finished(id) }
                return
            }
            try await committer.submit { frontier.closed(id, until: closedUntil) }
            window = DateInterval(start: closedUntil, end: window.end)
            offset = 0
            pass = 1
            passTotal = nil
            totalMoved = false
            seen = []
            frontier.started(id)
        }
    }
}
