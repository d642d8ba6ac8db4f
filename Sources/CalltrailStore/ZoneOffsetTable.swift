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

    /// The offset periods of `zone` as `time_zone_offsets` holds them (the queries read the same rows).
    public func timeZoneOffsets(_ zone: TimeZone) async throws -> [ZoneOffsetPeriod] {
        try await ensureTimeZone(zone)
        return try await read { db in try Self.timeZoneOffsets(db, zone: zone.identifier) }
    }

    static func timeZoneOffsets(_ db: Database, zone: String) throws -> [ZoneOffsetPeriod] {
        try Row.fetchAll(db, sql: "SELECT from_utc, to_utc, offset_s FROM time_zone_offsets WHERE zone = ? ORDER BY from_utc",
                         arguments: [zone]).map { ZoneOffsetPeriod(from: $0[0], to: $0[1], offset: $0[2]) }
    }
}
