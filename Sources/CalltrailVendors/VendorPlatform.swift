import CalltrailCore
import CalltrailRecordings
import CalltrailSync

/// Everything Calltrail knows about one vendor, in the vendor's folder: how its `[[source]]` table
/// reads (`SourceSchema`), what the sync asks of it (`SourcePlatform`: listing client, mapping checks,
/// case filters), its recording resolver and what a dry run says of it. `Platforms.all` lists them;
/// nothing outside a vendor's folder asks which vendor a source is.
public protocol VendorPlatform: SourceSchema, SourcePlatform {
    /// `source`'s recording resolver, or nil when it has no recordings to fetch.
    func recordingResolver(for source: SourceConfiguration, tools: RecordingTools) async -> (any RecordingResolver)?
    /// What a nightly run would fetch recordings from, for `nightly --dry-run`.
    func recordingPlan(for source: SourceConfiguration) -> [String]
    /// The consistency checks its mapping runs on every record (the [guess] readings of docs/VENDORS.md).
    var mappingChecks: [MappingCheck] { get }
}

extension VendorPlatform {
    public func mappingChecks(for source: SourceConfiguration) -> [MappingCheck] { mappingChecks }
}
