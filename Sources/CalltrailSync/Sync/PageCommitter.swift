import CalltrailStore

/// Writes a run's pages in the order they were read, while the next pages are being read, into a
/// transaction that commits once it holds `batchRecords` records or has been open for `maxDelay`,
/// with the cursor and run counters of its last page. Calls arrive in random key order, so each
/// transaction rewrites most pages of the key index once: the more records a transaction holds, the
/// fewer times (a transaction per page of 500 wrote ≈ 500 index pages to the WAL for 500 records;
/// BENCHMARKS.md). Pages go into SQLite as soon as the writer is free, so memory holds a few pages,
/// not a batch. A kill loses at most the pages of the open transaction, read again on resume: the
/// cursor never runs ahead of the rows.
public actor PageCommitter {
    private let writer: PageWriter
    private let batchRecords: Int
    private let maxDelay: Duration
    /// Records that may wait for the writer: reading pauses beyond it.
    private let maxWaiting: Int
    private var waiting: [PageCommit] = []
    private var waitingRecords = 0
    /// When the open transaction began, and how many records it holds.
    private var openSince: ContinuousClock.Instant?
    private var openRecords = 0
    private var draining = false
    private var task: Task<Void, Never>?
    private var idle: CheckedContinuation<Void, Never>?
    /// Which wait a timer belongs to: a timer left from an earlier wait does not cut a later one short.
    private var waitNumber = 0
    private var paused: [CheckedContinuation<Void, Never>] = []
    private var failure: (any Error)?

    public init(store: CallStore, batchRecords: Int = 200_000, maxDelay: Duration = .seconds(2), maxWaiting: Int = 5_000) throws {
        writer = try store.pageWriter()
        self.batchRecords = batchRecords
        self.maxDelay = maxDelay
        self.maxWaiting = maxWaiting
    }

    /// Queues a page, waiting while `maxWaiting` records are already queued; throws the error of an
    /// earlier write, after which nothing more is written.
    public func submit(_ page: PageCommit) async throws {
        try await submit { page }
    }

    /// Queues the commit `make` builds, on this actor: commits are queued in the order their state
    /// was taken, so windows read concurrently can build them from one shared frontier.
    public func submit(_ make: () throws -> PageCommit) async throws {
        if let failure { throw failure }
        let page = try make()
        waiting.append(page)
        waitingRecords += page.recordCount
        if task == nil { task = Task { await self.writeLoop() } }
        wake()
        while waitingRecords >= maxWaiting && task != nil {
            await withCheckedContinuation { paused.append($0) }
        }
        if let failure { throw failure }
    }

    /// Commits everything queued and returns once it is stored; throws if a write failed.
    public func drain() async throws {
        draining = true
        wake()
        while let task { await task.value }
        draining = false
        if let failure { throw failure }
    }

    private func writeLoop() async {
        while failure == nil {
            if waiting.isEmpty {
                // Nothing to write: commit the open transaction when it is due, else wait for pages.
                guard let openSince else { break }
                let due = openSince.advanced(by: maxDelay)
                if !draining && ContinuousClock.now < due {
                    await waitForWork(until: due)
                    continue
                }
                do { try await writer.commit() } catch { failure = error }
                self.openSince = nil
                openRecords = 0
                continue
            }
            let group = PageCommit(merging: waiting)
            waiting.removeAll()
            waitingRecords = 0
            resumeReading()
            let since = openSince ?? .now
            openSince = since
            openRecords += group.recordCount
            let commit = draining || openRecords >= batchRecords || ContinuousClock.now >= since.advanced(by: maxDelay)
            do {
                try await writer.write(group, commit: commit)
            } catch {
                failure = error
            }
            if commit {
                openSince = nil
                openRecords = 0
            }
        }
        task = nil
        resumeReading()
    }

    /// Returns when a page is queued, a drain asks, or `deadline` passes.
    private func waitForWork(until deadline: ContinuousClock.Instant) async {
        waitNumber += 1
        let number = waitNumber
        await withCheckedContinuation { continuation in
            idle = continuation
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                self.wake(wait: number)
            }
        }
    }

    private func wake(wait number: Int? = nil) {
        guard number == nil || number == waitNumber else { return }
        idle?.resume()
        idle = nil
    }

    private func resumeReading() {
        for continuation in paused { continuation.resume() }
        paused.removeAll()
    }
}
