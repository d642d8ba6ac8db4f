import CalltrailCore
import Foundation
import GRDB

/// What the report engine reads beside the period's calls (`CallStore.scanCalls`), in one read: the
/// report zone's offsets, per-queue short-abandon limits, the callbacks that recovered abandons, the
/// mapping checks and the two data-quality counts that are not calls of the period.
public struct ReportLookups: Sendable {
    /// The zone's offset periods as `time_zone_offsets` holds them (the queries read the same rows).
    public var zoneOffsets: [ZoneOffsetPeriod] = []
    /// S per queue, where `queue_settings` sets one.
    public var shortAbandons: [String: Double] = [:]
    /// What the vendors call each center number (source_numbers): its name and group, from the first of
    /// its rows, as by_number.sql looks it up.
    public var numberNames: [String: String] = [:]
    /// The call that recovered each abandon that has one, by source and the abandon's call id:
    /// abandoned_calls.sql's `min(call_id)` of the calls whose parent it is.
    public var recoveries: [String: [String: String]] = [:]
    /// The checks each source's mapping runs, in data_quality.sql's order.
    public var mappingChecks: [MappingCheckRow] = []
    /// Vendor records that failed to decode, by the window they were read in (data_quality.sql).
    public var undecodable = 0
    /// Calls of the period with their number whose recordings ledger row is `erased`: an erased customer
    /// a later sync stored again (data_quality.sql).
    public var syncedAfterErasure = 0

    /// A row of `mapping_checks`: a check a source's mapping runs.
    public struct MappingCheckRow: Sendable {
        public var source: String
        public var name: String
        public var meaning: String
    }
}

extension CallStore {
    /// The lookups of a report on `zone` over `[from, to)` (Unix seconds).
    public func reportLookups(zone: String, from: Double, to: Double) async throws -> ReportLookups {
        try await read { db in
            var lookups = ReportLookups()
            lookups.zoneOffsets = try Self.timeZoneOffsets(db, zone: zone)
            for row in try Row.fetchAll(db, sql: """
                SELECT queue, short_abandon_s FROM queue_settings WHERE queue IS NOT NULL AND short_abandon_s IS NOT NULL
                """) {
                lookups.shortAbandons[row[0]] = row[1]
            }
            let labels = try Row.fetchAll(db, sql: """
                SELECT number, coalesce(name, '') || CASE WHEN group_name IS NOT NULL THEN ' (' || group_name || ')' ELSE '' END
                FROM source_numbers ORDER BY rowid
                """)
            for row in labels where lookups.numberNames[row[0] as String] == nil { lookups.numberNames[row[0]] = row[1] as String }
            // The calls that have a parent (CCAI's recovered callbacks) are few: read once through their
            // index, where a lookup per abandon cost a year's report 2.8 s.
            let children = try Row.fetchCursor(db, sql: """
                SELECT source, parent_call_id, min(call_id) FROM calls WHERE parent_call_id IS NOT NULL GROUP BY parent_call_id, source
                """)
            while let row = try children.next() {
                if let child: String = row[2] { lookups.recoveries[row[0], default: [:]][row[1]] = child }
            }
            lookups.mappingChecks = try Row.fetchAll(db, sql: "SELECT source, name, meaning FROM mapping_checks ORDER BY source, name").map {
                ReportLookups.MappingCheckRow(source: $0[0], name: $0[1], meaning: $0[2])
            }
            lookups.undecodable = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM raw_records WHERE decode_error IS NOT NULL AND window_start >= ? AND window_start < ?
                """, arguments: [from - 86_400, to]) ?? 0
            // Found from the ledger's erased rows (by their call's instant, or without one) and only where an
            // erasure was ever made: none costs one lookup.
            if try Int.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM erasures)") == 1 {
                lookups.syncedAfterErasure = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM recordings r
                    WHERE r.state = 'erased' AND ((r.call_at >= ?1 AND r.call_at < ?2) OR r.call_at IS NULL)
                      AND EXISTS (SELECT 1 FROM calls c WHERE \(CallKey.sqlMatch("c", source: "r.source", callID: "r.call_id"))
                                    AND c.customer_number IS NOT NULL
                                    AND coalesce(c.queued_at, c.started_at) >= ?1 AND coalesce(c.queued_at, c.started_at) < ?2)
                    """, arguments: [from, to]) ?? 0
            }
            return lookups
        }
    }
}
