import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import Foundation
import Logging
import Synchronization

/// A login to uContact's Integra API: a token from `auth/getUserToken`, form-encoded POSTs with it,
/// `auth/EndSession` at the end. The listing client and the recordings' `Supervisor/convert` each
/// hold one.
public final class UContactSession: Sendable {
    let source: String
    let baseURL: URL
    let user: String
    let password: Secret
    let fetcher: HTTPFetcher
    let logger: Logger
    private let token = Mutex<Secret?>(nil)

    init(source: SourceConfiguration, password: Secret, fetcher: HTTPFetcher, logger: Logger) {
        self.source = source.name
        self.baseURL = source.baseURL
        self.user = source.user
        self.password = password
        self.fetcher = fetcher
        self.logger = logger
    }

    func url(_ path: String) -> String { Endpoint.join(baseURL, "Integra/resources/" + path) }

    var isOpen: Bool { token.withLock { $0 != nil } }

    func post(_ path: String, _ fields: [(String, String)], authorized: Bool = true) async throws -> FetchedResponse {
        try await post(path, fields, token: authorized ? token.withLock { $0 } : nil)
    }

    private func post(_ path: String, _ fields: [(String, String)], token: Secret?) async throws -> FetchedResponse {
        var headers = [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"), ("Accept", "application/json")]
        if let token { headers.append(("Authorization", "Basic \(token.value)")) }
        return try await fetcher.send(.POST, url: url(path), headers: headers, body: FormBody.encode(fields))
    }

    /// Logins of its own after which a refused request's refusal stands, and tries in all.
    static let ownLogins = 2
    static let tries = 10

    /// A POST that logs in again when the session is gone (401, 403, or `0` with status 200). Windows
    /// read at once share the session: a request refused with a token another request has replaced
    /// since is sent again with the new one; otherwise it logs in and is sent with the token it got.
    /// A request refused right after its own logins (`ownLogins`) is answered as refused, so wrong
    /// credentials still fail at once.
    func postRenewing(_ path: String, _ fields: [(String, String)]) async throws -> FetchedResponse {
        if !isOpen { try await open() }
        var sent = token.withLock { $0 }
        var logins = 0
        for tried in 1...Self.tries {
            let response = try await post(path, fields, token: sent)
            guard Self.isSessionFailure(response), tried < Self.tries else { return response }
            if let current = token.withLock({ $0 }), current.value != sent?.value {
                sent = current
                continue
            }
            guard logins < Self.ownLogins else { return response }
            logins += 1
            logger.info("session refused, logging in again", metadata: ["source": "\(source)", "path": "\(path)"])
            sent = try await open()
        }
        preconditionFailure("the last try returns")
    }

    /// Logs in; the token is the session's from now on, and returned for the request that asked.
    @discardableResult
    func open() async throws -> Secret {
        let response = try await post("auth/getUserToken", [("user", user), ("password", password.value)], authorized: false)
        let body = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard response.status == 200 else {
            if [401, 403].contains(response.status) {
                throw SourceError.rejectedCredentials(source: source, user: user, detail: "HTTP \(response.status)")
            }
            throw SourceError.status(source: source, url: url("auth/getUserToken"), code: response.status, body: body.oneLine())
        }
        // The token is the last element of a JSON list; `0` (status 200) means refused.
        guard body != "0", case .array(let list)? = try? JSONValue.parse(Data(body.utf8)) else {
            throw SourceError.rejectedCredentials(source: source, user: user, detail: "getUserToken answered \(body.oneLine(limit: 20))")
        }
        guard let last = list.last?.text else {
            throw SourceError.rejectedCredentials(source: source, user: user, detail: "getUserToken answered an empty list")
        }
        guard Secret.isHeaderSafe(last) else {
            throw SourceError.protocolViolation(source: source, url: url("auth/getUserToken"), detail: "a token holding a control character, which no header can carry")
        }
        let fresh = Secret(last)
        token.withLock { $0 = fresh }
        return fresh
    }

    func close() async {
        guard let current = token.withLock({ $0 }) else { return }
        do {
            _ = try await post("auth/EndSession", [("user", user), ("token", current.value)])
        } catch {
            logger.warning("logout failed", metadata: ["source": "\(source)", "error": "\(error)"])
        }
        token.withLock { $0 = nil }
    }

    /// uContact answers `0` with status 200 when the session is gone. Only a short body can be that:
    /// a page of records is not copied into a string to find out.
    static func isSessionFailure(_ response: FetchedResponse) -> Bool {
        if response.status == 401 || response.status == 403 { return true }
        return isZero(response)
    }

    /// uContact's failure body: `0` with status 200.
    static func isZero(_ response: FetchedResponse) -> Bool {
        response.status == 200 && response.body.readableBytes <= 16
            && response.text.trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }
}
