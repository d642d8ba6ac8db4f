import Foundation
import GRDB

/// An agent as a vendor names it.
public struct SourceAgent: Codable, Sendable, Equatable, CalltrailRecord, PersistableRecord {
    public static let databaseTableName = "source_agents"
    public var source: String
    public var agentId: String
    public var name: String?

    public init(source: String, agentId: String, name: String?) {
        self.source = source
        self.agentId = agentId
        self.name = name
    }
}

/// A center number with the vendor's alias and group.
public struct SourceNumber: Codable, Sendable, Equatable, CalltrailRecord, PersistableRecord {
    public static let databaseTableName = "source_numbers"
    public var source: String
    public var number: String
    public var name: String?
    public var groupName: String?

    public init(source: String, number: String, name: String?, groupName: String?) {
        self.source = source
        self.number = number
        self.name = name
        self.groupName = groupName
    }
}

extension CallStore {
    /// Replaces a source's agent and number lists in one transaction.
    public func replaceDimensions(source: String, numbers: [SourceNumber], agents: [SourceAgent]) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM source_agents WHERE source = ?", arguments: [source])
            try db.execute(sql: "DELETE FROM source_numbers WHERE source = ?", arguments: [source])
            for agent in agents { try agent.save(db) }
            for number in numbers { try number.save(db) }
        }
    }
}
