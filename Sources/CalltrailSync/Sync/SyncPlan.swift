import CalltrailCore
import CalltrailStore
import Foundation

/// Which windows a run reads: the windows a stopped run left open, each at its next page, then
/// `[from, to)` cut into windows, less those a stopped run already covered.
public struct SyncPlan: Sendable, Equatable {
    /// A window to read from `offset`, in its `pass`-th read.
    public struct Read: Sendable, Equatable {
        public var window: DateInterval
        public var offset: Int
        public var pass: Int
        /// Left open by a stopped run.
        public var resumed: Bool
    }

    /// In order of their start.
    public var reads: [Read]
    /// Windows a stopped run read to their end beyond its cursor: not read again, and counted when
    /// the cursor moves over them.
    public var finished: [DateInterval]
    public var range: DateInterval?
    /// The `--to` asked for when it was later than now − settle: the range ends there instead, so no
    /// window is finished over records the vendor has not had yet.
    public var cutFrom: Date?

    public var resumed: [Read] { reads.filter(\.resumed) }

    /// - Parameters:
    ///   - windows: the `sync_windows` rows a stopped run left.
    ///   - from, to: the command line's range, if any.
    ///   - now: the clock; windows end `settle` before it, a later `to` included.
    public static func make(cursor: SyncCursor?, windows stored: [SyncWindow], source: SourceConfiguration,
                            from: Date?, to: Date?, now: Date) -> SyncPlan {
        let settled = now.addingTimeInterval(-source.settle)
        let end = min(to ?? settled, settled)
        let start: Date
        if let from {
            start = from
        } else if let done = cursor?.completeUntil {
            start = done.addingTimeInterval(-source.lookback)
        } else if let since = source.since {
            start = since.date(in: source.timeZone)
        } else {
            // A first run without `since` reads the last day.
            start = end.addingTimeInterval(-86_400)
        }
        var reads = stored.filter { !$0.finished && $0.windowEnd > $0.windowStart }
            .map { Read(window: $0.window, offset: $0.nextOffset, pass: $0.pass, resumed: true) }
        let finished = stored.filter(\.finished).map(\.window)
        let covered = reads.map(\.window) + finished
        if start < end {
            let step = Double(source.windowHours) * 3600
            var windowStart = start
            while windowStart < end {
                let windowEnd = min(end, windowStart.addingTimeInterval(step))
                let window = DateInterval(start: windowStart, end: windowEnd)
                // A window a stopped run covered is skipped; overlaps are harmless anyway.
                if !covered.contains(where: { $0.start <= window.start && $0.end >= window.end }) {
                    reads.append(Read(window: window, offset: 0, pass: 1, resumed: false))
                }
                windowStart = windowEnd
            }
        }
        reads.sort { $0.window.start < $1.window.start }
        let range = start < end ? DateInterval(start: start, end: end) : nil
        return SyncPlan(reads: reads, finished: finished, range: range, cutFrom: to.flatMap { $0 > settled ? $0 : nil })
    }
}
