import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import CalltrailStore
import Foundation

/// A vendor API that lists calls in time windows, page by page. The sync engine owns windows,
/// cursors and transactions; a source only speaks its vendor's protocol and mapping.
public protocol RecordSource: Sendable {
    /// The name rows are stored under (`calls.source`).
    var name: String { get }
    /// The listing endpoint, for the cursor's key.
    var endpoint: String { get }
    /// Logs in, when the vendor has sessions.
    func open() async throws
    /// One page of the window `[start, end)` at `offset`.
    func page(window: DateInterval, offset: Int, limit: Int) async throws -> SourcePage
    /// Logs out; never throws, a failed logout is logged.
    func close() async
}

/// What one page brought: every record as received, the calls decoded from them and the records that
/// map to none (`records`), with what the vendor said about the window.
public struct SourcePage: Sendable {
    public var records: PageRecords
    /// The vendor's count of records in the window, when it gives one (Meiqia's `total`).
    public var reportedTotal: Int?
    /// The vendor said this is the last page (CCAI: no `Link: rel="next"`).
    public var isLast = false
    /// The vendor answered only up to here (Vonage's `upTo`): the rest of the window is read next.
    public var coveredUntil: Date?
    /// Records in the page, decodable or not.
    public var count: Int { records.count }
    /// Records the vendor sent, counting the ones a source dropped as read already (CCAI's tail asks
    /// each page from the last instant read): what a short page is measured by.
    public var served: Int {
        get { servedOverride ?? records.count }
        set { servedOverride = newValue }
    }
    private var servedOverride: Int?

    public init(records: PageRecords, reportedTotal: Int? = nil) {
        self.records = records
        self.reportedTotal = reportedTotal
    }

    /// Decodes each element of `body` (a range: one record's bytes as sent) with `decode`; the raw page
    /// keeps every record, decodable or not.
    public init(body: UnsafeRawBufferPointer, elements: [Range<Int>], reportedTotal: Int? = nil,
                decode: (UnsafeRawBufferPointer) -> DecodedRecord) {
        var calls: [CallRecord] = []
        var positions: [Int] = []
        var failures: [RawRecord] = []
        calls.reserveCapacity(elements.count)
        positions.reserveCapacity(elements.count)
        for (index, range) in elements.enumerated() {
            switch decode(UnsafeRawBufferPointer(rebasing: body[range])) {
            case .call(let call):
                calls.append(call)
                positions.append(index)
            case .failure(let failure):
                failures.append(failure)
            }
        }
        let raw = RawPage(elements: elements, of: body)
        self.init(records: PageRecords(raw: raw, calls: calls, positions: positions, failures: failures), reportedTotal: reportedTotal)
    }

    /// A listing response whose body holds the records as one JSON array (the whole body, or the
    /// array that starts at `offset`): each record decoded where it lies, the page kept as sent. A body
    /// that holds no array there breaks the vendor's protocol.
    public init(listing response: FetchedResponse, from offset: Int = 0, source: String, url: String, reportedTotal: Int? = nil,
         decode: (UnsafeRawBufferPointer) -> DecodedRecord) throws {
        self = try response.body.withUnsafeReadableBytes { body in
            let elements: [Range<Int>]
            do {
                elements = try JSONArraySplitter.elements(in: body, from: offset)
            } catch {
                throw SourceError.protocolViolation(source: source, url: url,
                                                    detail: "a body that is not a JSON list (\(response.text.oneLine(limit: 40)))")
            }
            return SourcePage(body: body, elements: elements, reportedTotal: reportedTotal, decode: decode)
        }
    }

    /// The same from records that are separate buffers (re-encoded items, tests).
    public init(elements: [Data], reportedTotal: Int? = nil, decode: (UnsafeRawBufferPointer) -> DecodedRecord) {
        var body = Data()
        var ranges: [Range<Int>] = []
        for element in elements {
            ranges.append(body.count..<(body.count + element.count))
            body.append(element)
        }
        self = body.withUnsafeBytes { SourcePage(body: $0, elements: ranges, reportedTotal: reportedTotal, decode: decode) }
    }

    public var decodeErrors: Int { records.failures.count }

    /// Calls stored with an outcome the mapping could not name (data-quality figure of the run).
    public var unknownOutcomes: Int { records.calls.lazy.filter { $0.outcome == .unknown }.count }
}
