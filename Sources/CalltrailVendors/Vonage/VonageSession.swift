import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import CalltrailSync
import Foundation
import Synchronization

/// Vonage's OAuth client-credentials session [doc]: one bearer token (renewed a minute before its
/// `expires_in`, and once on a 401), shared by the Stats listing and the Interaction Content API.
/// Every request sends the versioned `Accept` header the API insists on.
final class VonageSession: Sendable {
    static let accept = "application/vnd.newvoicemedia.v3+json"

    let name: String
    let configuration: SourceConfiguration
    let secret: Secret
    let fetcher: HTTPFetcher
    let authURL: String

    private struct Token { var value: String; var expires: Date }
    private let token = Mutex<Token?>(nil)

    init(configuration: SourceConfiguration, secret: Secret, fetcher: HTTPFetcher) {
        self.name = configuration.name
        self.configuration = configuration
        self.secret = secret
        self.fetcher = fetcher
        self.authURL = configuration.options(as: VonageOptions.self).authURL?.absoluteString
            ?? Endpoint.join(configuration.baseURL, "Auth/connect/token")
    }

    /// A token valid for at least another minute.
    func bearer(renew: Bool = false) async throws -> String {
        if !renew, let current = token.withLock({ $0 }), current.expires.timeIntervalSinceNow > 60 { return current.value }
        let form = FormBody.encode([("grant_type", "client_credentials"), ("client_id", configuration.user),
                                    ("client_secret", secret.value), ("scope", "stats interaction-content:read")])
        let response = try await fetcher.send(.POST, url: authURL, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                              body: form)
        let parsed = response.status == 200 ? try? JSONValue.parse(Data(response.body.readableBytesView)) : nil
        if let access = parsed?["access_token"]?.text {
            // A token is a secret from the moment it arrives, whatever else is wrong with the answer.
            Redaction.register(access)
            guard Secret.isHeaderSafe(access) else {
                throw SourceError.protocolViolation(source: name, url: authURL, detail: "an access_token holding a control character, which no header can carry")
            }
        }
        guard let value = parsed, let access = value["access_token"]?.text else {
            let detail = (try? JSONValue.parse(Data(response.body.readableBytesView)))?["error"]?.text ?? response.text.oneLine(limit: 60)
            if response.status == 400 || response.status == 401 || response.status == 403 {
                throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "HTTP \(response.status): \(detail)")
            }
            throw SourceError.status(source: name, url: authURL, code: response.status, body: detail)
        }
        let lifetime = try SourceError.checkingPage(source: name, url: authURL) {
            try value["expires_in"].map { try CheckedNumber.seconds($0.number, field: "expires_in", max: 366 * 86_400, shown: $0.text) } ?? 3600
        }
        token.withLock { $0 = Token(value: access, expires: Date().addingTimeInterval(lifetime)) }
        return access
    }

    /// The headers of an authorized request.
    func headers(renew: Bool = false) async throws -> [(String, String)] {
        [("Authorization", "Bearer " + (try await bearer(renew: renew))), ("Accept", Self.accept)]
    }

    /// GET `path` on `base` (default: base_url) with the bearer token; a 401 renews the token once.
    /// The body must be a JSON object.
    func get(_ path: String, _ query: [(String, String)], base: URL? = nil) async throws -> JSONValue {
        let target = Endpoint.join(base ?? configuration.baseURL, path, query: query)
        var renewed = false
        while true {
            let response = try await fetcher.send(url: target, headers: try await headers(renew: renewed))
            if response.status == 401 && !renewed {
                renewed = true
                continue
            }
            guard response.status == 200 else {
                let message = (try? JSONValue.parse(Data(response.body.readableBytesView)))?["message"]?.text ?? response.text.oneLine()
                if response.status == 401 || response.status == 403 {
                    throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "HTTP \(response.status): \(message)")
                }
                throw SourceError.status(source: name, url: target, code: response.status, body: message)
            }
            guard let value = try? JSONValue.parse(Data(response.body.readableBytesView)), case .object = value else {
                throw SourceError.protocolViolation(source: name, url: target, detail: "a body that is not a JSON object (\(response.text.oneLine(limit: 40)))")
            }
            return value
        }
    }

    /// `start` and `end` of a window as the APIs take them (UTC, `Z`).
    static func window(_ window: DateInterval) -> [(String, String)] {
        let utc = TimeZone(identifier: "UTC")!
        return [("start", LocalDateTime.iso8601(window.start, in: utc).replacingOccurrences(of: "+00:00", with: "Z")),
                ("end", LocalDateTime.iso8601(window.end, in: utc).replacingOccurrences(of: "+00:00", with: "Z"))]
    }
}
