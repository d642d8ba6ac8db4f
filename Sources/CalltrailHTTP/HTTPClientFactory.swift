import AsyncHTTPClient
import NIOSSL

/// The one place HTTP clients are made: certificates are verified unless the operator opted out
/// with `--insecure` (lab servers with self-signed certificates).
public enum HTTPClientFactory {
    public static func make(insecure: Bool) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        // Redirects are followed by HTTPFetcher.execute alone, and only where no credential is re-sent.
        configuration.redirectConfiguration = .disallow
        var tls = TLSConfiguration.makeClientConfiguration()
        if insecure { tls.certificateVerification = .none }
        configuration.tlsConfiguration = tls
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
