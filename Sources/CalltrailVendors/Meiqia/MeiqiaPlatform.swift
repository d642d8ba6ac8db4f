import CalltrailCore
import CalltrailHTTP
import CalltrailRecordings
import CalltrailSync
import Foundation
import Logging

/// Meiqia's own `[[source]]` keys.
public struct MeiqiaOptions: SourceOptions {
    /// `page_index` of the first page: 1 [guess] or 0.
    public var pageIndexBase = 1
    /// `records`' list filters this source sets (MeiqiaFilter): a filtered source is a source of its
    /// own, with its own name, cursor and rows.
    public var filter = MeiqiaFilter()
    /// What a call's wait is made of (`wait`): seed 002 names `queue_wait_time` and `wait_time` without
    /// saying whether the second is a part of the first (docs/VENDORS.md).
    public var wait = MeiqiaWaitReading.queuePlusRing

    static let keys = ["page_index_base", "filter", "wait"]

    init(reading reader: TableReader) throws {
        pageIndexBase = try reader.int("page_index_base", default: 1, range: 0...1)
        if let text = try reader.optionalString("wait") {
            guard let reading = MeiqiaWaitReading(rawValue: text) else {
                throw CalltrailError.configuration(
                    "\(reader.context): wait '\(text)' is not a reading of Meiqia's wait: use wait = \"queue_plus_ring\" or wait = \"queue\" (docs/VENDORS.md)")
            }
            wait = reading
        }
        filter = try MeiqiaFilter(reading: reader.table("filter", example: "{ call_types = [\"来电\"] }"))
    }
}

/// Meiqia 美洽 call-center open API: a bearer token that never expires and no user; `records` by
/// `page_index`; recordings at the URL each record carries.
public struct MeiqiaPlatform: VendorPlatform {
    public let kind = "meiqia"
    public var needsUser: Bool { false }
    public var secretName: String { "TOKEN" }
    public var optionKeys: [String] { MeiqiaOptions.keys }

    public var mappingChecks: [MappingCheck] { MeiqiaRecordMapper.checks(.queuePlusRing) }

    /// The checks of the reading the source is configured with: the report's line names it.
    public func mappingChecks(for source: SourceConfiguration) -> [MappingCheck] {
        MeiqiaRecordMapper.checks(source.options(as: MeiqiaOptions.self).wait)
    }

    public init() {}

    public func options(_ reader: TableReader) throws -> any SourceOptions { try MeiqiaOptions(reading: reader) }

    /// `records` filters a customer by `customer_phone` in both directions and an agent by
    /// `agent_ids` (seed 002); Meiqia's agent ids are whole numbers.
    public func caseListing(_ subject: CaseSubject, of source: SourceConfiguration) throws -> CaseListing {
        var options = source.options(as: MeiqiaOptions.self)
        if let number = subject.number { options.filter.text["customer_phone"] = number }
        if let agent = subject.agent {
            guard let id = Int(agent) else {
                throw CalltrailError.configuration("Meiqia's agent ids are whole numbers, not '\(agent)': pass --agent 1001")
            }
            options.filter.agentIDs = [id]
        }
        var configuration = source
        configuration.options = options
        return .filtered([configuration])
    }

    public func makeSource(_ source: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource {
        MeiqiaSource(configuration: source, token: secret, fetcher: fetcher, logger: logger)
    }

    public func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)? {
        URLRecordingResolver(ingest: tools.ingest)
    }

    public func recordingPlan(for source: SourceConfiguration) -> [String] { ["recordings: the record_path each call carries"] }
}
