import Foundation
import GRDB
import GRDBSQLite

/// Binds and steps one of GRDB's cached statements through SQLite's C API. Ingest writes two rows per
/// vendor record; GRDB's `StatementArguments` box every value, which at those rates costs more than
/// SQLite itself (SWIFT-NOTES.md: ≈ 208 k rows/s boxed, ≈ 366 k bound directly).
struct BoundStatement {
    private let statement: Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }
    private var column: Int32 = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    mutating func bind(_ text: String?) {
        column += 1
        guard var text else { sqlite3_bind_null(handle, column); return }
        let column = column, handle = handle
        text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(handle, column, base, Int32(chars.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(handle, column, "", 0, Self.transient)
                }
            }
        }
    }

    mutating func bind(_ value: Double?) {
        column += 1
        if let value { sqlite3_bind_double(handle, column, value) } else { sqlite3_bind_null(handle, column) }
    }

    mutating func bind(_ value: Int) {
        column += 1
        sqlite3_bind_int64(handle, column, Int64(value))
    }

    /// Runs the statement once and readies it for the next row.
    mutating func step(_ db: Database) throws {
        column = 0
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
