@testable import CalltrailVendors
import Foundation
import Testing

/// CCAI's tail position: each page asked from the last instant read, the calls read at that instant
/// dropped, paging on by number only while a whole page shares one instant.
@Suite struct CCAITailTests {
    let start = Date(timeIntervalSince1970: 1_772_000_000)
    func at(_ seconds: Double, _ id: String) -> CCAITail.Served { .init(id: id, updatedAt: start.addingTimeInterval(seconds)) }

    @Test func theNextPageStartsAtTheLastInstantReadAndDropsWhatItReadThere() throws {
        let first = CCAITail(windowStart: start)
        let (keep, next) = try first.advance(past: [at(0, "a"), at(5, "b"), at(9, "c"), at(9, "d")])
        #expect(keep == [true, true, true, true])
        #expect(next == CCAITail(offset: 4, from: start.addingTimeInterval(9), page: 1, readAtFrom: ["c", "d"]))
        // Served again from 9 s: c and d are dropped, e (also at 9 s, past the last page's end) is new.
        let (again, after) = try next.advance(past: [at(9, "c"), at(9, "d"), at(9, "e"), at(12, "f")])
        #expect(again == [false, false, true, true])
        #expect(after == CCAITail(offset: 6, from: start.addingTimeInterval(12), page: 1, readAtFrom: ["f"]))
    }

    @Test func aPageAtOneInstantPagesOnByNumberFromIt() throws {
        let tail = CCAITail(offset: 4, from: start, page: 1, readAtFrom: ["a", "b"])
        let (keep, next) = try tail.advance(past: [at(0, "a"), at(0, "b"), at(0, "c")])
        #expect(keep == [false, false, true])
        #expect(next == CCAITail(offset: 5, from: start, page: 2, readAtFrom: ["a", "b", "c"]))
    }

    @Test func aCallBeforeTheTailOrOutOfOrderIsTheServersError() {
        let tail = CCAITail(offset: 0, from: start.addingTimeInterval(10), page: 1, readAtFrom: [])
        #expect(throws: CCAITail.Disorder.self) { try tail.advance(past: [at(5, "a")]) }
        #expect(throws: CCAITail.Disorder.self) { try tail.advance(past: [at(20, "a"), at(15, "b")]) }
    }

    @Test func callsWhoseInstantCannotBeReadAreKeptAndDoNotMoveTheTail() throws {
        let tail = CCAITail(windowStart: start)
        let (keep, next) = try tail.advance(past: [.init(id: "x", updatedAt: nil), at(3, "a"), .init(id: nil, updatedAt: nil)])
        #expect(keep == [true, true, true])
        #expect(next == CCAITail(offset: 3, from: start.addingTimeInterval(3), page: 1, readAtFrom: ["a"]))
    }

    @Test func aResumedWindowPagesByNumberFromItsStart() {
        #expect(CCAITail(resuming: 230, per: 100, windowStart: start) == CCAITail(offset: 230, from: start, page: 3, readAtFrom: []))
    }
}
