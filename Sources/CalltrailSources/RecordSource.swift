import CalltrailCore
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

/// What one page brought: every record as received, and the calls decoded from them.
public struct SourcePage: Sendable {
    public var raws: [RawRecord]
    public var calls: [CallRecord]
    /// The vendor's count of records in the window, when it gives one (Meiqia's `total`).
    public var reportedTotal: Int?
    /// The vendor said this is the last page (CCAI: no `Link: rel="next"`).
    public var isLast = false
    /// The vendor answered only up to here (Vonage's `upTo`): the rest of the window is read next.
    public var coveredUntil: Date?
    /// Records in the page, decodable or not.
    public var count: Int { raws.count }

    public init(raws: [RawRecord], calls: [CallRecord], reportedTotal: Int? = nil) {
        self.raws = raws
        self.calls = calls
        self.reportedTotal = reportedTotal
    }

    /// Decodes each element with `decode`, keeping every raw record.
    public init(elements: [Data], reportedTotal: Int? = nil, decode: (Data) -> (RawRecord, CallRecord?)) {
        var raws: [RawRecord] = []
        var calls: [CallRecord] = []
        raws.reserveCapacity(elements.count)
        calls.reserveCapacity(elements.count)
        for element in elements {
            let (raw, call) = decode(element)
            raws.append(raw)
            if let call { calls.append(call) }
        }
        self.init(raws: raws, calls: calls, reportedTotal: reportedTotal)
    }

    public var decodeErrors: Int { raws.lazy.filter { $0.decodeError != nil }.count }

    /// Calls stored with an outcome the mapping could not name (data-quality figure of the run).
    public var unknownOutcomes: Int { calls.lazy.filter { $0.outcome == .unknown }.count }
}
