import CalltrailCore
import Foundation
import GRDB

/// A customer's number as the compliance commands compare it: the E.164 form NumberPlan gives, kept
/// beside the vendor's original in `calls.customer_e164` (`''` when the stored text is no number
/// under the settings: an extension, `anonymous`). Two numbers match when their E.164 forms are
/// equal. Rows written since the last normalization (a sync does not know the settings) have NULL
/// and are filled by `normalizeNumbers` before every match; `number_plan` remembers the settings the
/// column was filled with, so a change of `[compliance] country_code` or `trunk_prefix` refills it.
public enum CustomerNumber {
    /// `e164(number, country_code, trunk_prefix)` in SQL, on every CallStore connection: the E.164
    /// form, or NULL.
    static let sqlFunction = DatabaseFunction("e164", argumentCount: 3, pure: true) { values in
        guard let number = String.fromDatabaseValue(values[0]) else { return nil }
        return plan(String.fromDatabaseValue(values[1]), String.fromDatabaseValue(values[2])).normalize(stored: number)
    }

    static func plan(_ countryCode: String?, _ trunkPrefix: String?) -> NumberPlan {
        NumberPlan(countryCode: countryCode, trunkPrefix: trunkPrefix ?? "")
    }

    /// The condition: call `alias`'s number is the E.164 number given by `parameter`.
    public static func sqlMatch(_ alias: String, _ parameter: String) -> String {
        "\(alias).customer_e164 = \(parameter)"
    }
}

extension CallStore {
    /// Fills `customer_e164` of the calls stored since the last call, and the holds' `number_e164`,
    /// under `plan`, or under the settings last used when nil. When `plan` differs from those, every
    /// row is normalized again. Run before any statement that matches numbers.
    public func normalizeNumbers(adopting plan: NumberPlan? = nil) async throws {
        try await write { db in try Self.normalizeNumbers(adopting: plan, db) }
    }

    static func normalizeNumbers(adopting plan: NumberPlan?, _ db: Database) throws {
        let stored = try Row.fetchOne(db, sql: "SELECT country_code, trunk_prefix FROM number_plan")
            .map { CustomerNumber.plan($0["country_code"], $0["trunk_prefix"]) }
        let current = plan ?? stored ?? NumberPlan()
        if current != stored {
            try db.execute(sql: "DELETE FROM number_plan")
            try db.execute(sql: "INSERT INTO number_plan (country_code, trunk_prefix) VALUES (?, ?)",
                           arguments: [current.countryCode, current.trunkPrefix])
            try db.execute(sql: "UPDATE calls SET customer_e164 = NULL WHERE customer_e164 IS NOT NULL")
        }
        try db.execute(sql: """
            UPDATE calls SET customer_e164 = coalesce(e164(customer_number, ?1, ?2), '')
            WHERE customer_e164 IS NULL AND customer_number IS NOT NULL
            """, arguments: [current.countryCode, current.trunkPrefix])
        try db.execute(sql: """
            UPDATE legal_holds SET number_e164 = coalesce(e164(number, ?1, ?2), '') WHERE number_digits IS NOT NULL
            """, arguments: [current.countryCode, current.trunkPrefix])
    }

    /// The vendor's number names of this E.164 number go (an erasure), compared under the settings in use.
    public static func deleteNumberNames(e164: String, _ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM source_numbers WHERE e164(number, (SELECT country_code FROM number_plan), (SELECT trunk_prefix FROM number_plan)) = ?
            """, arguments: [e164])
    }
}
