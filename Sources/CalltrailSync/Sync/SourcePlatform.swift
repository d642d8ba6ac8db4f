import CalltrailCore
import CalltrailHTTP
import Logging

/// What the sync asks of a source's vendor: its listing client, the checks its mapping runs and how
/// a case sync filters its listing. The vendor platforms implement it; the sync knows none of them.
public protocol SourcePlatform: Sendable {
    /// The listing client for `source`.
    func makeSource(_ source: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource
    /// The consistency checks `source`'s mapping runs on every record (the [guess] readings of
    /// docs/VENDORS.md; a reading its options choose can change what a check means).
    func mappingChecks(for source: SourceConfiguration) -> [MappingCheck]
    /// How a case sync asks the vendor for only `subject`'s calls (docs/VENDORS.md says which
    /// filters each listing documents).
    func caseListing(_ subject: CaseSubject, of source: SourceConfiguration) throws -> CaseListing
}

/// Finds each configured source's platform: the vendor platforms' registry.
public protocol SourcePlatformProvider: Sendable {
    func sourcePlatform(of source: SourceConfiguration) -> any SourcePlatform
}
