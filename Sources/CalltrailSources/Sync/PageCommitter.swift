import CalltrailStore

/// Commits a window's pages in the order they were read, each commit overlapping the reading of the
/// next page. Pages read while a commit is in flight go into the next transaction together, with the
/// cursor and run counters of the last of them. Over a slow link every page is still its own
/// transaction; when pages arrive faster than SQLite commits them (a backfill, a fast vendor), the
/// transactions grow, and each dirtied index page is written once for several pages (BENCHMARKS.md).
/// A kill loses at most the pages not yet committed: the cursor never runs ahead of the rows.
public actor PageCommitter {
    private let store: CallStore
    /// Records that may wait for the writer: reading pauses beyond it, so memory stays bounded.
    private let maxWaiting: Int
    private var waiting: [PageCommit] = []
    private var waitingRecords = 0
    private var writer: Task<Void, Never>?
    private var paused: [CheckedContinuation<Void, Never>] = []
    private var failure: (any Error)?

    public init(store: CallStore, maxWaiting: Int = 20_000) {
        self.store = store
        self.maxWaiting = maxWaiting
    }

    /// Queues a page, waiting while `maxWaiting` records are already queued; throws the error of an
    /// earlier commit, after which nothing more is written.
    public func submit(_ page: PageCommit) async throws {
        if let failure { throw failure }
        waiting.append(page)
        waitingRecords += page.raws.count
        if writer == nil { writer = Task { await self.writeWaiting() } }
        while waitingRecords >= maxWaiting && writer != nil {
            await withCheckedContinuation { paused.append($0) }
        }
        if let failure { throw failure }
    }

    /// Returns once every queued page is committed; throws if a commit failed.
    public func drain() async throws {
        while let writer { await writer.value }
        if let failure { throw failure }
    }

    private func writeWaiting() async {
        while !waiting.isEmpty && failure == nil {
            let group = waiting
            waiting.removeAll()
            waitingRecords = 0
            resumeReading()
            do {
                try await store.commit(PageCommit(merging: group))
            } catch {
                failure = error
            }
        }
        writer = nil
        resumeReading()
    }

    private func resumeReading() {
        for continuation in paused { continuation.resume() }
        paused.removeAll()
    }
}
