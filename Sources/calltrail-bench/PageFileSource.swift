import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation

/// uContact's listing served from the benchmark's pages file instead of the network: the window's
/// pages in order, a short (or empty) page at the end, each read from the file as the body of a
/// response (so memory holds a page at a time) and decoded as `UContactSource` decodes a body.
final class PageFileSource: RecordSource, @unchecked Sendable {
    let name = "ucontact"
    let endpoint = "Cdr/getrecords"
    private let file: FileHandle
    private let pages: [Date: [Range<Int>]]
    private let mapper = UContactRecordMapper(source: "ucontact", timeZone: BenchmarkData.zone)

    init(pages url: URL, index: BenchmarkData.Index) throws {
        file = try FileHandle(forReadingFrom: url)
        pages = Dictionary(index.days.map { ($0.start, $0.pages) }, uniquingKeysWith: { $1 })
    }

    func open() async throws {}
    func close() async {}

    func page(window: DateInterval, offset: Int, limit: Int) async throws -> SourcePage {
        try read(window: window, offset: offset, limit: limit)
    }

    func read(window: DateInterval, offset: Int, limit: Int = BenchmarkData.pageSize) throws -> SourcePage {
        precondition(limit == BenchmarkData.pageSize, "the file holds pages of \(BenchmarkData.pageSize)")
        let day = pages[window.start] ?? []
        guard offset / limit < day.count else { return SourcePage(elements: [], decode: mapper.decode) }
        return try decode(try body(day[offset / limit]), offset: offset)
    }

    /// A page's bytes, as a response body.
    func body(_ range: Range<Int>) throws -> Data {
        try file.seek(toOffset: UInt64(range.lowerBound))
        guard let body = try file.read(upToCount: range.count), body.count == range.count else {
            throw BenchError("pages file ends early")
        }
        return body
    }

    /// The body decoded as `UContactSource` decodes one.
    func decode(_ body: Data, offset: Int) throws -> SourcePage {
        try body.withUnsafeBytes { bytes in
            SourcePage(body: bytes, elements: try JSONArraySplitter.elements(in: bytes), decode: mapper.decode)
        }
    }
}
