import CalltrailCore
import Foundation
import GRDB

extension CallStore {
    /// Makes sure `time_zone_offsets` holds `zone`, so the report queries can bucket by its clock.
    public func ensureTimeZone(_ zone: TimeZone) async throws {
        let name = zone.identifier
        let present = try await read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM time_zone_offsets WHERE zone = ?", arguments: [name]) ?? 0
        }
        guard present == 0 else { return }
        let periods = ZoneOffsetPeriod.periods(of: zone)
        try await write { db in
            for period in periods {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO time_zone_offsets (zone, from_utc, to_utc, offset_s, offset_label) VALUES (?, ?, ?, ?, ?)",
                    arguments: [name, period.from, period.to, period.offset, period.label])
            }
        }
    }
}
