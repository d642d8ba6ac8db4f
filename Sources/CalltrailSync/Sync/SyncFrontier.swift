import CalltrailStore
import Foundation
import Synchronization

/// The windows of one run, shared by the windows read concurrently: each page's commit is built here
/// (its window's row, the run's counters), and the cursor's `completeUntil` moves only over the
/// contiguous prefix of finished windows. Commits are built inside the committer (`submit { }`), so
/// they are queued in the order this state changed.
final class SyncFrontier: Sendable {
    struct Entry {
        /// The window as planned: the prefix is walked over these.
        var window: DateInterval
        /// The start of the window's row: later than `window.start` once part of it was closed
        /// (Vonage's `upTo`).
        var rowStart: Date
        /// Read from its start up to here.
        var finishedUntil: Date?
        var finished = false
        var hasRow: Bool
    }

    struct State {
        var completeUntil: Date?
        var entries: [Entry]
        var run: SyncRun
        var inFlight = 0
        /// Entries before this one are finished and behind the cursor for good.
        var scanFrom = 0
    }

    let source: String
    let endpoint: String
    /// False for a case sync: no window rows, no cursor.
    let movesCursor: Bool
    /// The entry of each of the plan's reads, in the plan's order.
    let readEntries: [Int]
    private let state: Mutex<State>

    init(plan: SyncPlan, cursor: SyncCursor?, source: String, endpoint: String, movesCursor: Bool, run: SyncRun) {
        self.source = source
        self.endpoint = endpoint
        self.movesCursor = movesCursor
        // Tagged with the read they stand for (-1: finished by a stopped run), then sorted by start.
        var tagged = plan.reads.enumerated().map { read in
            (read.offset, Entry(window: read.element.window, rowStart: read.element.window.start, hasRow: read.element.resumed))
        }
        tagged += plan.finished.map { (-1, Entry(window: $0, rowStart: $0.start, finishedUntil: $0.end, finished: true, hasRow: true)) }
        tagged.sort { $0.1.window.start < $1.1.window.start }
        var readEntries = Array(repeating: 0, count: plan.reads.count)
        for (index, (read, _)) in tagged.enumerated() where read >= 0 { readEntries[read] = index }
        self.readEntries = readEntries
        state = Mutex(State(completeUntil: cursor?.completeUntil, entries: tagged.map(\.1), run: run))
    }

    var run: SyncRun { state.withLock { $0.run } }
    var inFlight: Int { state.withLock { $0.inFlight } }

    /// A window starts being read (again, for the rest of a window partly closed).
    func started(_ id: Int) {
        state.withLock { state in
            state.inFlight += 1
            state.run.windows += 1
        }
    }

    /// The commit of a page read in entry `id`'s current window, with the offset and pass it leaves.
    func page(_ id: Int, window: DateInterval, offset: Int, page: SourcePage, nextOffset: Int, pass: Int, retries: Int) -> PageCommit {
        state.withLock { state in
            state.run.pages += 1
            state.run.records += page.count
            state.run.decodeErrors += page.decodeErrors
            state.run.unknownOutcomes += page.unknownOutcomes
            state.run.retries += retries
            var changes: [SyncWindow.Change] = []
            if movesCursor {
                state.entries[id].hasRow = true
                changes.append(.save(SyncWindow(source: source, endpoint: endpoint, window: window, nextOffset: nextOffset, pass: pass)))
            }
            return PageCommit(source: source, pages: [.init(window: window, offset: offset, records: page.records)],
                              windows: changes, run: state.run)
        }
    }

    /// The commit of a window read again from its start: its row says so, for a resume.
    func reread(_ id: Int, window: DateInterval, pass: Int) -> PageCommit {
        state.withLock { state in
            state.run.rereads += 1
            let changes: [SyncWindow.Change] = movesCursor
                ? [.save(SyncWindow(source: source, endpoint: endpoint, window: window, nextOffset: 0, pass: pass))] : []
            return PageCommit(source: source, pages: [], windows: changes, run: state.run)
        }
    }

    /// Entry `id` was read up to `closedUntil`, short of its end: the rest is read as a window of its
    /// own, under a row of its own.
    func closed(_ id: Int, until closedUntil: Date) -> PageCommit {
        state.withLock { state in
            var changes: [SyncWindow.Change] = []
            let entry = state.entries[id]
            if movesCursor {
                changes.append(.remove(source: source, endpoint: endpoint, windowStart: entry.rowStart))
                let rest = DateInterval(start: closedUntil, end: entry.window.end)
                changes.append(.save(SyncWindow(source: source, endpoint: endpoint, window: rest)))
            }
            state.entries[id].rowStart = closedUntil
            state.entries[id].finishedUntil = closedUntil
            state.entries[id].hasRow = movesCursor
            state.inFlight -= 1
            let cursor = advance(&state, changes: &changes)
            return PageCommit(source: source, pages: [], cursor: cursor, windows: changes, run: state.run)
        }
    }

    /// Before any read: the cursor moves over windows finished beyond it by a stopped run or closed by
    /// an operator (`sync --close-window`), even when this run has nothing to read after them. Nil when
    /// it does not move.
    func opening() -> PageCommit? {
        state.withLock { state in
            var changes: [SyncWindow.Change] = []
            let cursor = advance(&state, changes: &changes)
            guard cursor != nil || !changes.isEmpty else { return nil }
            return PageCommit(source: source, pages: [], cursor: cursor, windows: changes, run: state.run)
        }
    }

    /// Entry `id` was read to its end but holds fewer records than the vendor lists: it stays open (its
    /// row starts over at offset 0, the cursor stops before it) and the run fails with `note`.
    func leftOpen(_ id: Int, window: DateInterval, note: String) -> PageCommit {
        state.withLock { state in
            state.inFlight -= 1
            state.run.failures += 1
            state.run.lastError = note
            var changes: [SyncWindow.Change] = []
            if movesCursor {
                changes.append(.save(SyncWindow(source: source, endpoint: endpoint, window: window)))
                state.entries[id].hasRow = true
            }
            return PageCommit(source: source, pages: [], windows: changes, run: state.run)
        }
    }

    /// Entry `id` was read to its end.
    func finished(_ id: Int) -> PageCommit {
        state.withLock { state in
            let entry = state.entries[id]
            state.entries[id].finished = true
            state.entries[id].finishedUntil = entry.window.end
            state.inFlight -= 1
            var changes: [SyncWindow.Change] = []
            if movesCursor {
                let window = DateInterval(start: entry.rowStart, end: entry.window.end)
                changes.append(.save(SyncWindow(source: source, endpoint: endpoint, window: window, finished: true)))
                state.entries[id].hasRow = true
            }
            let cursor = advance(&state, changes: &changes)
            return PageCommit(source: source, pages: [], cursor: cursor, windows: changes, run: state.run)
        }
    }

    /// Moves `completeUntil` over the finished windows that follow it without a gap, and removes the
    /// rows of finished windows it has passed. Nil when it does not move.
    private func advance(_ state: inout State, changes: inout [SyncWindow.Change]) -> SyncCursor? {
        guard movesCursor else { return nil }
        var until = state.completeUntil
        var index = state.scanFrom
        var settled = true
        while index < state.entries.count {
            let entry = state.entries[index]
            if let until, entry.window.end <= until {
                // Behind the cursor (the lookback): neither holds it back nor moves it. An unfinished
                // one is walked again, and its row removed when it finishes.
                if entry.finished, entry.hasRow {
                    changes.append(.remove(source: source, endpoint: endpoint, windowStart: entry.rowStart))
                    state.entries[index].hasRow = false
                }
                settled = settled && entry.finished
                if settled { state.scanFrom = index + 1 }
                index += 1
                continue
            }
            if let until, entry.window.start > until { break }
            guard let reached = entry.finishedUntil else { break }
            until = max(until ?? reached, reached)
            guard entry.finished else { break }
            if entry.hasRow {
                changes.append(.remove(source: source, endpoint: endpoint, windowStart: entry.rowStart))
                state.entries[index].hasRow = false
            }
            if settled { state.scanFrom = index + 1 }
            index += 1
        }
        guard until != state.completeUntil else { return nil }
        state.completeUntil = until
        return SyncCursor(source: source, endpoint: endpoint, completeUntil: until)
    }
}
