import CalltrailCore
import Foundation
import GRDB
import GRDBSQLite

/// One call as the report engine reads it (`CallStore.scanCalls`): the columns the datasets use, nothing
/// boxed, and texts as numbers (TextCache) so that the engine groups by integers and copies no strings.
public struct ScannedCall: Sendable {
    /// Text numbers of `source`, `queue`, `agent`, `did` and the recording's ledger state (-1: NULL).
    public var sourceID: Int
    public var queueID: Int
    public var agentID: Int
    public var didID: Int
    public var recordingStateID: Int
    /// Text number of `failed_checks` (-1: NULL, all the mapping checks passed).
    public var failedChecksID = -1
    /// Nil for a value Calltrail does not write (the queries compare text, and match none of theirs).
    public var direction: Direction?
    public var outcome: Outcome?
    public var customerNumber: String? = nil
    /// A hash of the customer number's bytes, for the callbacks' lookups (0 without a number).
    public var customerNumberHash = 0
    public var queuedAt: Double?
    /// `coalesce(queued_at, started_at)`: the instant the call counts at.
    public var attributedAt: Double
    public var hasAnswerTime: Bool
    public var hasEnd: Bool
    public var wait: Double?
    public var talk: Double
    public var hold: Double
    public var wrap: Double
    public var transfers: Int
    public var hasRecordingReference: Bool
    public var recordingBytes: Int?
    /// Read for the abandoned calls only, the ones the report lists.
    public var callID: String?
    /// S of the call's queue, and whether the report's queue filter keeps it (set by the report engine).
    public var shortAbandon = 0.0
    public var inQueues = true
}

/// Reads the calls attributed to a range in order of time, through the attributed-time index and
/// SQLite's C API: one statement for the whole month instead of one per dataset, and text that
/// repeats (sources, queues, agents, numbers) made into strings once. Each call's recording ledger
/// row comes from the day's rows read beside it (RecordingsOfDay), not from a join.
struct CallScan {
    static let sql = """
        SELECT c.source, c.direction, c.outcome, c.queue, c.agent, c.customer_number, c.did, c.queued_at,
               coalesce(c.queued_at, c.started_at), c.answered_at IS NOT NULL, c.ended_at IS NOT NULL, c.wait_s,
               c.talk_s, c.hold_s, c.wrap_s, c.transfers, c.recording_ref IS NOT NULL, c.call_id, c.failed_checks
        FROM calls c
        WHERE coalesce(c.queued_at, c.started_at) >= ? AND coalesce(c.queued_at, c.started_at) < ?
        ORDER BY coalesce(c.queued_at, c.started_at)
        """
    /// The TextCache columns of the texts the calls and the ledger share: the source's is its column
    /// in `sql`; the ledger state has one of its own.
    static let sourceColumn = 0
    static let stateColumn = 19

    /// Calls `body` for each call attributed to `[from, to)`, the recordings ledger's rows of which
    /// `recordings` holds. `texts` holds the text of each number the calls carry.
    static func forEach(_ db: Database, from: Double, to: Double, recordings: RecordingsOfDay, texts: inout TextCache,
                        _ body: (inout ScannedCall) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let handle = statement.sqliteStatement
        sqlite3_bind_double(handle, 1, from)
        sqlite3_bind_double(handle, 2, to)
        defer { sqlite3_reset(handle) }
        var directions = EnumCache<Direction>()
        var outcomes = EnumCache<Outcome>()
        func interned(_ column: Int32) -> Int { bytes(handle, column).map { texts.number($0, column: Int(column)) } ?? -1 }
        func real(_ column: Int32) -> Double? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw stepFailure(code, handle, sql) }
            var call = ScannedCall(
                sourceID: interned(0), queueID: interned(3), agentID: interned(4), didID: interned(6), recordingStateID: -1,
                direction: bytes(handle, 1).flatMap { directions.value($0) }, outcome: bytes(handle, 2).flatMap { outcomes.value($0) },
                queuedAt: real(7), attributedAt: sqlite3_column_double(handle, 8), hasAnswerTime: sqlite3_column_int(handle, 9) != 0,
                hasEnd: sqlite3_column_int(handle, 10) != 0, wait: real(11), talk: sqlite3_column_double(handle, 12),
                hold: sqlite3_column_double(handle, 13), wrap: sqlite3_column_double(handle, 14),
                transfers: Int(sqlite3_column_int64(handle, 15)), hasRecordingReference: sqlite3_column_int(handle, 16) != 0,
                recordingBytes: nil)
            if let number = bytes(handle, 5) {
                call.customerNumber = String(decoding: number, as: UTF8.self)
                call.customerNumberHash = byteHash(number)
            }
            if let callID = bytes(handle, 17) {
                if call.hasRecordingReference, let source = bytes(handle, 0) {
                    (call.recordingStateID, call.recordingBytes) = try recordings.entry(sourceID: call.sourceID, callID: callID,
                                                                                         source: source, texts: &texts)
                }
                if call.direction == .inbound && call.outcome == .abandoned && call.queuedAt != nil {
                    call.callID = String(decoding: callID, as: UTF8.self)
                }
            }
            call.failedChecksID = interned(18)
            try body(&call)
        }
    }
}

/// What a scan hands the calls to, on its reading thread: one object per scan, used by that thread alone.
public protocol CallScanSink: AnyObject, Sendable {
    /// A call, in order of time within its day.
    func take(_ call: inout ScannedCall) throws
    /// Every call of the day has been taken.
    func dayEnded() throws
}

extension CallStore {
    /// Reads the calls attributed to each of `days` (in the order given), each call with its recordings
    /// ledger row, on one reader connection, and hands them to `sink`; `texts` numbers the texts they carry.
    /// The report engine runs two at once, on alternate days.
    public func scanCalls(days: [(from: Double, to: Double)], texts: TextNumbers, into sink: CallScanSink) async throws {
        try await read { db in
            var cache = TextCache(texts)
            var recordings = try RecordingsOfDay(db)
            for day in days {
                try recordings.read(from: day.from, to: day.to, texts: &cache)
                try CallScan.forEach(db, from: day.from, to: day.to, recordings: recordings, texts: &cache) { call in try sink.take(&call) }
                try sink.dayEnded()
            }
        }
    }
}

/// The numbers of a report's texts (sources, queues, agents, numbers, ledger states), shared by the
/// threads that read calls: each text is numbered once for all of them.
public final class TextNumbers: @unchecked Sendable {
    private let lock = NSLock()
    private var numbers: [String: Int] = [:]
    private var texts: [String] = []

    public init() {}

    public func number(_ text: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let known = numbers[text] { return known }
        texts.append(text)
        numbers[text] = texts.count - 1
        return texts.count - 1
    }

    /// The text numbered `id`, nil for -1 (NULL).
    public func text(_ id: Int) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return id >= 0 ? texts[id] : nil
    }
}

/// One reading thread's way to the shared numbers without taking their lock per call: a text is
/// found by a hash of its bytes, per column (whose last text is tried first), and compared byte for
/// byte; only a text new to this thread goes to the shared numbers.
struct TextCache {
    let shared: TextNumbers
    /// Per column, by the hash of a text's bytes, the index of its entry.
    private var byHash = [IntMap<Int>](repeating: IntMap(), count: 32)
    private var entries: [(bytes: [UInt8], id: Int)] = []

    init(_ shared: TextNumbers) { self.shared = shared }

    /// The number of the text `bytes` holds, read from `column`.
    mutating func number(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) -> Int {
        let hash = byteHash(bytes)
        if let index = byHash[column][hash] {
            if equal(entries[index].bytes, bytes) { return entries[index].id }
            // Another text of this column with the same hash: so rare that the shared numbers do.
            return shared.number(String(decoding: bytes, as: UTF8.self))
        }
        let id = shared.number(String(decoding: bytes, as: UTF8.self))
        byHash[column].insert(hash, entries.count)
        entries.append((Array(bytes), id))
        return id
    }
}

/// A text column of a few known values (direction, outcome) read as its enum, found by a hash of
/// the bytes and compared byte for byte.
private struct EnumCache<Value: RawRepresentable> where Value.RawValue == String {
    private var byHash = IntMap<Int>()
    private var known: [(bytes: [UInt8], value: Value?)] = []

    mutating func value(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        let hash = byteHash(bytes)
        if let index = byHash[hash], equal(known[index].bytes, bytes) { return known[index].value }
        let value = Value(rawValue: String(decoding: bytes, as: UTF8.self))
        if byHash[hash] == nil {
            byHash.insert(hash, known.count)
            known.append((Array(bytes), value))
        }
        return value
    }
}

/// The error of a step that returned `code` instead of a row.
func stepFailure(_ code: Int32, _ handle: OpaquePointer?, _ sql: String) -> DatabaseError {
    DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: sql)
}

/// The bytes of a text column of the row `handle` stands on, nil for NULL; valid until the next step.
func bytes(_ handle: OpaquePointer?, _ column: Int32) -> UnsafeBufferPointer<UInt8>? {
    guard let pointer = sqlite3_column_text(handle, column) else { return nil }
    return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
}
