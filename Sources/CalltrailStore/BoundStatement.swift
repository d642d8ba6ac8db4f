import Foundation
import GRDB
import GRDBSQLite

/// Binds and steps one of GRDB's cached statements through SQLite's C API, for the rows a sync writes
/// by the hundred thousand. GRDB's `StatementArguments` box every value (measured here, release: ≈ 208 k rows/s
/// boxed, ≈ 366 k bound directly), and text bound `SQLITE_TRANSIENT` costs SQLite a malloc and a copy
/// per value: a row's text is copied once into `arena` instead and bound `SQLITE_STATIC`, valid until
/// the next row is bound. The bindings are cleared when the statement is done with, so no pointer into
/// the arena outlives it.
final class BoundStatement {
    private let statement: Statement
    private let handle: SQLiteStatement
    private var column: Int32 = 0
    private static let arenaBytes = 1 << 16
    private let arena = UnsafeMutableRawPointer.allocate(byteCount: BoundStatement.arenaBytes, alignment: 8)
    private var used = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    deinit {
        sqlite3_clear_bindings(handle)
        arena.deallocate()
    }

    func bind(_ text: String?) {
        column += 1
        guard var text else { sqlite3_bind_null(handle, column); return }
        text.withUTF8 { utf8 in
            let count = utf8.count
            guard count > 0, let base = utf8.baseAddress else {
                _ = sqlite3_bind_text(handle, column, "", 0, Self.transient)
                return
            }
            if used + count <= Self.arenaBytes {
                let target = arena + used
                target.copyMemory(from: base, byteCount: count)
                used += count
                _ = sqlite3_bind_text(handle, column, target.assumingMemoryBound(to: CChar.self), Int32(count), nil)
            } else {
                // A row with more text than the arena holds (never from a vendor record's fields).
                _ = base.withMemoryRebound(to: CChar.self, capacity: count) {
                    sqlite3_bind_text(handle, column, $0, Int32(count), Self.transient)
                }
            }
        }
    }

    func bind(_ value: Double?) {
        column += 1
        if let value { sqlite3_bind_double(handle, column, value) } else { sqlite3_bind_null(handle, column) }
    }

    func bind(_ value: Int?) {
        column += 1
        if let value { sqlite3_bind_int64(handle, column, Int64(value)) } else { sqlite3_bind_null(handle, column) }
    }

    func bind(_ bytes: [UInt8]) {
        column += 1
        _ = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, column, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Runs a query once: the first column of its first row, if it has one.
    func stepRow(_ db: Database) throws -> Int64? {
        column = 0
        used = 0
        let code = sqlite3_step(handle)
        let value = code == SQLITE_ROW ? sqlite3_column_int64(handle, 0) : nil
        sqlite3_reset(handle)
        guard code == SQLITE_ROW || code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
        return value
    }

    /// Runs the statement once and readies it for the next row.
    func step(_ db: Database) throws {
        column = 0
        used = 0
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
