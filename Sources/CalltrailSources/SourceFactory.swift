import CalltrailCore
import Foundation
import Logging

/// Builds the `RecordSource` for a configured kind.
public enum SourceFactory {
    public static func make(_ configuration: SourceConfiguration, password: Secret, fetcher: HTTPFetcher, logger: Logger) -> any RecordSource {
        switch configuration.kind {
        case .ucontact:
            UContactSource(configuration: configuration, password: password, fetcher: fetcher, logger: logger)
        }
    }
}
