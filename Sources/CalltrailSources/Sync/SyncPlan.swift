import CalltrailCore
import CalltrailStore
import Foundation

/// Which windows a run reads: an unfinished window first, then `[from, to)` cut into windows.
public struct SyncPlan: Sendable, Equatable {
    /// The window a killed run stopped in, with the offset to resume at.
    public var resume: (window: DateInterval, offset: Int, pass: Int)?
    public var windows: [DateInterval]
    public var range: DateInterval?
    /// True when the range was given on the command line: the cursor only moves if it stays contiguous.
    public var explicit: Bool

    public static func == (lhs: SyncPlan, rhs: SyncPlan) -> Bool {
        lhs.resume?.window == rhs.resume?.window && lhs.resume?.offset == rhs.resume?.offset
            && lhs.windows == rhs.windows && lhs.explicit == rhs.explicit
    }

    /// - Parameters:
    ///   - from, to: the command line's range, if any.
    ///   - now: the clock; windows end `settle` before it.
    public static func make(cursor: SyncCursor?, source: SourceConfiguration, from: Date?, to: Date?, now: Date) -> SyncPlan {
        let end = to ?? now.addingTimeInterval(-source.settle)
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
        var resume: (DateInterval, Int, Int)?
        if let open = cursor?.openWindow, let cursor {
            resume = (open, cursor.nextOffset, cursor.pass)
        }
        var windows: [DateInterval] = []
        if start < end {
            let step = Double(source.windowHours) * 3600
            var windowStart = start
            while windowStart < end {
                let windowEnd = min(end, windowStart.addingTimeInterval(step))
                windows.append(DateInterval(start: windowStart, end: windowEnd))
                windowStart = windowEnd
            }
        }
        let range = start < end ? DateInterval(start: start, end: end) : nil
        return SyncPlan(resume: resume, windows: windows, range: range, explicit: from != nil || to != nil)
    }
}
