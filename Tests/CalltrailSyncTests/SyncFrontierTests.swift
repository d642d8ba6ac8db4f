import CalltrailStore
@testable import CalltrailSync
import Foundation
import Testing

/// The cursor moves only over the contiguous prefix of finished windows, whatever order they finish in.
@Suite struct SyncFrontierTests {
    let start = Date(timeIntervalSince1970: 1_772_409_600)

    func window(_ hour: Int) -> DateInterval { DateInterval(start: start.addingTimeInterval(Double(hour) * 3600), duration: 3600) }

    func frontier(cursor: Date? = nil, reads: [Int], finished: [Int] = []) -> SyncFrontier {
        let plan = SyncPlan(reads: reads.map { SyncPlan.Read(window: window($0), offset: 0, pass: 1, resumed: false) },
                            finished: finished.map(window), range: nil)
        return SyncFrontier(plan: plan, cursor: cursor.map { SyncCursor(source: "s", endpoint: "e", completeUntil: $0) },
                            source: "s", endpoint: "e", movesCursor: true, run: SyncRun(source: "s"))
    }

    func removed(_ commit: PageCommit) -> [Date] {
        commit.windows.compactMap { if case .remove(_, _, let start) = $0 { start } else { nil } }
    }

    @Test func windowsFinishingInReverseMoveTheCursorOnlyWhenTheFirstFinishes() {
        let frontier = frontier(reads: [0, 1, 2, 3])
        for id in 0..<4 { frontier.started(frontier.readEntries[id]) }
        #expect(frontier.inFlight == 4)
        for id in [3, 2, 1] {
            let commit = frontier.finished(frontier.readEntries[id])
            #expect(commit.cursor == nil, "window \(id) finished before window 0: the cursor stays")
            #expect(removed(commit).isEmpty)
        }
        let last = frontier.finished(frontier.readEntries[0])
        #expect(last.cursor?.completeUntil == window(3).end)
        #expect(Set(removed(last)) == Set((0..<4).map { window($0).start }), "every finished row is removed once the cursor passes it")
        #expect(frontier.inFlight == 0)
    }

    @Test func aWindowClosedInPartHoldsTheCursorAtWhatItClosed() {
        let frontier = frontier(reads: [0, 1])
        for id in 0..<2 { frontier.started(frontier.readEntries[id]) }
        _ = frontier.finished(frontier.readEntries[1])
        let half = window(0).start.addingTimeInterval(1800)
        let partial = frontier.closed(frontier.readEntries[0], until: half)
        #expect(partial.cursor?.completeUntil == half)
        frontier.started(frontier.readEntries[0])
        let rest = frontier.finished(frontier.readEntries[0])
        #expect(rest.cursor?.completeUntil == window(1).end)
    }

    @Test func windowsAStoppedRunFinishedCountAndAGapStopsTheCursor() {
        // Hours 1 and 2 were finished by a stopped run; hour 4 is read but hour 3 is not in this run.
        let frontier = frontier(cursor: window(0).start, reads: [0, 4], finished: [1, 2])
        let first = frontier.finished(frontier.readEntries[0])
        #expect(first.cursor?.completeUntil == window(2).end)
        #expect(Set(removed(first)) == Set([window(0).start, window(1).start, window(2).start]))
        let after = frontier.finished(frontier.readEntries[1])
        #expect(after.cursor == nil, "hour 3 was not read: the cursor does not jump the gap")
    }

    @Test func lookbackWindowsBehindTheCursorNeitherHoldNorMoveIt() {
        let frontier = frontier(cursor: window(2).start, reads: [1, 2])
        let ahead = frontier.finished(frontier.readEntries[1])
        #expect(ahead.cursor?.completeUntil == window(2).end, "the unfinished lookback hour does not hold it back")
        let behind = frontier.finished(frontier.readEntries[0])
        #expect(behind.cursor == nil)
        #expect(removed(behind) == [window(1).start])
    }
}
