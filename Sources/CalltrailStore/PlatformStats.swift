import Foundation
import GRDB

/// One campaign's counters as the platform reports them at `takenAt`.
public struct PlatformStat: Codable, Sendable, Equatable, CalltrailRecord, PersistableRecord {
    public static let databaseTableName = "platform_stats"
    public var source: String
    public var campaign: String
    public var takenAt: Date
    public var completed: Int?
    public var abandoned: Int?
    public var servicelevel: Double?
    public var servicelevel2: Double?
    public var slevelthreshold: Double?
    public var abandonedlevel: Double?
    public var payload: String

    public init(source: String, campaign: String, takenAt: Date, completed: Int?, abandoned: Int?, servicelevel: Double?,
                servicelevel2: Double?, slevelthreshold: Double?, abandonedlevel: Double?, payload: String) {
        self.source = source
        self.campaign = campaign
        self.takenAt = takenAt
        self.completed = completed
        self.abandoned = abandoned
        self.servicelevel = servicelevel
        self.servicelevel2 = servicelevel2
        self.slevelthreshold = slevelthreshold
        self.abandonedlevel = abandonedlevel
        self.payload = payload
    }
}

extension CallStore {
    public func savePlatformStats(_ stats: [PlatformStat]) async throws {
        try await write { db in for stat in stats { try stat.save(db) } }
    }
}
