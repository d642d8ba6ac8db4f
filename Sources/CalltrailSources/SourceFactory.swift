import CalltrailCore
import Foundation
import CalltrailStore
import Logging

/// Builds the `RecordSource` for a configured kind.
public enum SourceFactory {
    public static func make(_ configuration: SourceConfiguration, password: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource {
        switch configuration.kind {
        case .ucontact:
            UContactSource(configuration: configuration, password: password, fetcher: fetcher, logger: logger)
        case .meiqia:
            MeiqiaSource(configuration: configuration, token: password, fetcher: fetcher, logger: logger)
        case .ccai:
            CCAIRecordSource(configuration: configuration, token: password, fetcher: fetcher)
        case .vonage:
            VonageSource(configuration: configuration, secret: password, fetcher: fetcher)
        }
    }
}

/// A source with data beside its records: reference lists (agent names, number aliases) that reports
/// use for labels, or the platform's own figures. Synced after the records, in the same run.
public protocol SupplementarySource: RecordSource {
    func syncSupplements(into store: CallStore) async throws
}
