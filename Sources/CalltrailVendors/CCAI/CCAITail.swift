import CalltrailHTTP
import CalltrailJSON
import Foundation

/// Where the next page of a window starts in CCAI's calls list. The list is paged by number from
/// `updated_at[from]` in ascending `updated_at`; a call updated while the client pages jumps to the end
/// of the order and every row after it moves one place back, so paging by number skips one row per
/// such update, and nothing counts the window to tell (`Total` counts the whole tail). A tail instead
/// asks each page from the `updated_at` of the last call read, page 1, and drops the calls at that
/// instant it has read already: the rows before `from` can change without moving the rows after it.
/// Only when a whole page shares one instant does it page on by number from that instant.
struct CCAITail: Sendable, Equatable {
    /// The engine's offset in the window this position continues (the calls kept so far).
    var offset: Int
    var from: Date
    var page: Int
    /// Ids of the calls read at exactly `from`: served again from there, and dropped.
    var readAtFrom: Set<String>

    /// The window's first page.
    init(windowStart: Date) {
        self.init(offset: 0, from: windowStart, page: 1, readAtFrom: [])
    }

    /// A run resuming inside a window whose position died with the stopped run: by number from the
    /// window's start, at the page holding `offset` (the rows re-read there are stored already).
    init(resuming offset: Int, per: Int, windowStart: Date) {
        self.init(offset: offset, from: windowStart, page: offset / per + 1, readAtFrom: [])
    }

    init(offset: Int, from: Date, page: Int, readAtFrom: Set<String>) {
        self.offset = offset
        self.from = from
        self.page = page
        self.readAtFrom = readAtFrom
    }

    /// One served call: its id and `updated_at` as far as they can be read (the mapper judges the rest).
    struct Served: Equatable {
        var id: String?
        var updatedAt: Date?
    }

    /// Which of `served` (a page asked at this position) are new, and where the next page starts. A call
    /// updated before `from`, or out of ascending order, means the server did not page as asked: reading
    /// on from there could skip calls, so it is the page's error.
    func advance(past served: [Served]) throws(Disorder) -> (keep: [Bool], next: CCAITail) {
        var latest = from
        var keep: [Bool] = []
        keep.reserveCapacity(served.count)
        for call in served {
            guard let updatedAt = call.updatedAt else {
                keep.append(true)
                continue
            }
            guard updatedAt >= latest else { throw Disorder(updatedAt: updatedAt, after: latest) }
            latest = updatedAt
            keep.append(!(updatedAt == from && call.id.map(readAtFrom.contains) == true))
        }
        let kept = keep.lazy.filter { $0 }.count
        let atLatest = Set(served.lazy.filter { $0.updatedAt == latest }.compactMap(\.id))
        let next = latest > from
            ? CCAITail(offset: offset + kept, from: latest, page: 1, readAtFrom: atLatest)
            : CCAITail(offset: offset + kept, from: from, page: page + 1, readAtFrom: readAtFrom.union(atLatest))
        return (keep, next)
    }

    struct Disorder: Error {
        var updatedAt: Date
        var after: Date
    }
}
