import Foundation
import GRDB

/// The sync's own connection to the database, whose write transaction stays open across calls: pages
/// go into SQLite as they are read (memory holds a few of them, not a batch) and commit, with the
/// cursor and run of the last one, when the caller says. Another connection than the store's pool, so
/// that only this one may leave a transaction open between two accesses.
public final class PageWriter: Sendable {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.allowsUnsafeTransactions = true
        configuration.prepareDatabase { db in
            // 48 MiB of pages: the leaves of the key index that upserts land on at random (≈ 11 bytes a
            // call) stay in memory up to a few million calls instead of being read back per row. Bounded,
            // so memory stays flat in the number of calls; 64 MiB was 8 % faster at 5 M calls and 1.56×
            // the peak memory of a 100 k-call sync, 32 MiB 15 % slower (BENCHMARKS.md).
            try db.execute(sql: "PRAGMA cache_size = -49152; PRAGMA wal_autocheckpoint = 10000")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Writes `pages` into the open transaction (opening one when none is) and commits it when
    /// `commit` is true. A failure rolls the whole open transaction back: nothing of it is stored, the
    /// cursor stays at the last commit.
    public func write(_ pages: PageCommit, commit: Bool) async throws {
        try await queue.writeWithoutTransaction { db in
            if !db.isInsideTransaction { try db.execute(sql: "BEGIN IMMEDIATE") }
            do {
                try pages.insert(db)
                if commit { try db.execute(sql: "COMMIT") }
            } catch {
                try? db.execute(sql: "ROLLBACK")
                throw error
            }
        }
    }

    /// Commits the open transaction, if any.
    public func commit() async throws {
        try await queue.writeWithoutTransaction { db in
            if db.isInsideTransaction { try db.execute(sql: "COMMIT") }
        }
    }
}

extension CallStore {
    /// A connection of its own for a sync's pages.
    public func pageWriter() throws -> PageWriter { try PageWriter(path: path) }
}
