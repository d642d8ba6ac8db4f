import CalltrailCore
import CalltrailHTTP
import CalltrailRecordings
import CalltrailSync
import Foundation
import Logging

/// uContact (Integra API): a user and password, `Cdr/getrecords` in day windows of 50 records, the
/// four recording locations with `Supervisor/convert`.
public struct UContactPlatform: VendorPlatform {
    public let kind = "ucontact"
    public var optionKeys: [String] { UContactOptions.keys }

    public var mappingChecks: [MappingCheck] { UContactRecordMapper.checks }

    public init() {}

    public func options(_ reader: TableReader) throws -> any SourceOptions { try UContactOptions(reading: reader) }

    /// getrecords filters the customer's number as `source` on inbound calls and `destination` on
    /// outbound ones (seed 003), so a number is read in two passes; an agent is `agent`. The
    /// source's own filter (a campaign, say) stays.
    public func caseListing(_ subject: CaseSubject, of source: SourceConfiguration) throws -> CaseListing {
        let options = source.options(as: UContactOptions.self)
        let directions: [String?] = subject.number == nil ? [nil] : ["source", "destination"]
        return .filtered(directions.map { key in
            var filtered = options
            if let key, let number = subject.number { filtered.filter.values[key] = number }
            if let agent = subject.agent { filtered.filter.values["agent"] = agent }
            var configuration = source
            configuration.options = filtered
            return configuration
        })
    }

    public func makeSource(_ source: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource {
        UContactSource(configuration: source, password: secret, fetcher: fetcher, logger: logger)
    }

    public func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)? {
        let options = source.options(as: UContactOptions.self)
        guard options.telephonyRecordsURL != nil || options.backupRecordsURL != nil else { return nil }
        var converter: UContactSession?
        if options.convertOnServer {
            do {
                let secret = try source.credential.resolve(for: "source '\(source.name)'")
                let fetcher = HTTPFetcher(client: tools.http, source: source.name, policy: tools.policy, timeout: source.requestTimeout,
                                          logger: tools.logger)
                let session = UContactSession(source: source, password: secret, fetcher: fetcher, logger: tools.logger)
                try await session.open()
                converter = session
            } catch {
                tools.logger.warning("Supervisor/convert unavailable, GSM recordings are converted here",
                                     metadata: ["source": "\(source.name)", "error": "\(error)"])
            }
        }
        return UContactRecordingResolver(client: tools.client, source: source, options: options, converter: converter,
                                         ingest: tools.ingest, logger: tools.logger)
    }

    public func recordingPlan(for source: SourceConfiguration) -> [String] {
        let options = source.options(as: UContactOptions.self)
        let locations = UContactRecordingLocation.configured(telephony: options.telephonyRecordsURL, backup: options.backupRecordsURL)
        if locations.isEmpty { return ["recordings: none (no telephony_records_url or backup_records_url)"] }
        return locations.map { location in
            "recordings \(location.label.rawValue): \(location.url(day: "YYYYMMDD", name: "<guid>", ext: "mp3|gsm"))"
        }
    }
}
