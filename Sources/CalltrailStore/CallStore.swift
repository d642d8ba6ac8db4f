import CalltrailCore
import Foundation
import GRDB

/// The SQLite file: one writer, WAL, migrated on open. Created 0600: it holds customer numbers.
public final class CallStore: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Keys and anchors the audit rows this store writes; nil: it writes none (AuditUnkeyed).
    public let audit: AuditTrail?

    public init(path: String, audit: AuditTrail? = nil) throws {
        self.path = path
        self.audit = audit
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CalltrailError.configuration("database folder \(directory) cannot be created (\(error.localizedDescription)): fix database in the configuration")
        }
        if !FileManager.default.fileExists(atPath: path) {
            let fd = open(path, O_CREAT | O_WRONLY, 0o600)
            guard fd >= 0 else {
                throw CalltrailError.configuration("database \(path) cannot be created (\(String(cString: strerror(errno)))): fix database in the configuration")
            }
            close(fd)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            db.add(function: CallKey.sqlFunction)
            db.add(function: CustomerNumber.sqlFunction)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw CalltrailError.configuration("database \(path) cannot be opened (\(error.message ?? "\(error.resultCode)")): point database at a Calltrail SQLite file")
        }
    }

    /// Reads with a consistent snapshot. SPI, as `write` is: code outside the store reaches the
    /// connections only by importing them by name (`@_spi(Connections) import CalltrailStore`), which
    /// StoreBoundaryTests allows the tests and the benchmarks alone; everything else goes through the
    /// store's typed operations.
    @_spi(Connections) public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Checkpoints the WAL into the file and truncates it, rebuilds the file (VACUUM) so no free page
    /// keeps old bytes, and truncates the WAL again: after an erasure, what was removed is nowhere
    /// in the database file or its WAL. A reader holding a snapshot (a report, a BI tool, the
    /// sqlite3 shell) keeps the WAL from being truncated: it is tried again until `wait` has passed.
    /// Returns false when a reader still held it then (the old bytes are still in the files).
    public func compact(waitingUpTo wait: Duration = .seconds(30)) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: wait)
        while true {
            do {
                try await pool.writeWithoutTransaction { db in
                    // Each attempt waits for readers at most a second (the busy handler), not the store's ten.
                    try db.execute(sql: "PRAGMA busy_timeout = 1000")
                    defer { try? db.execute(sql: "PRAGMA busy_timeout = 10000") }
                    try db.checkpoint(.truncate)
                    try db.execute(sql: "VACUUM")
                    try db.checkpoint(.truncate)
                }
                return true
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                if clock.now >= deadline { return false }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// One write transaction (SPI, as `read`).
    @_spi(Connections) public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }

    /// The calls stored by outcome, most first, and the abandons that waited less than `shortAbandon`.
    public func outcomeCounts(shortAbandonUnder shortAbandon: Double) async throws -> (outcomes: [(String, Int)], shortAbandons: Int) {
        try await pool.read { db in
            let outcomes = try Row.fetchAll(db, sql: "SELECT outcome, count(*) AS n FROM calls GROUP BY outcome ORDER BY n DESC")
                .map { ($0["outcome"] as String, $0["n"] as Int) }
            let short = try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE outcome = 'abandoned' AND wait_s < ?",
                                         arguments: [shortAbandon]) ?? 0
            return (outcomes, short)
        }
    }

    public func callCount(source: String? = nil) async throws -> Int {
        try await pool.read { db in
            if let source {
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM calls WHERE source = ?", arguments: [source]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM calls") ?? 0
        }
    }

    /// The queues (uContact campaigns) of `source`'s calls offered during `period`, by the index on
    /// the time calls count at.
    public func queues(source: String, during period: DateInterval) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT queue FROM calls
                WHERE coalesce(queued_at, started_at) >= ? AND coalesce(queued_at, started_at) < ?
                  AND source = ? AND queue IS NOT NULL AND queue <> ''
                ORDER BY queue
                """, arguments: [period.start.timeIntervalSince1970, period.end.timeIntervalSince1970, source])
        }
    }
}
