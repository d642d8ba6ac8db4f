import AsyncHTTPClient
import CalltrailCore
import Foundation
import NIOCore
import NIOHTTP1

/// A redirect the client will not follow: one line naming where it pointed and why not.
public struct RedirectRefused: FinalHTTPError, CustomStringConvertible {
    public let url: String
    public let status: Int
    /// The Location as shown: scheme, host and path, never userinfo or query.
    public let location: String
    public let reason: String

    public var description: String { "\(url) answered HTTP \(status) to \(location): \(reason)" }
}

/// Redirects are never followed by the HTTP client itself (`HTTPClientFactory` disallows them): a
/// client that follows a `307` re-sends the request's body and headers to wherever the server points,
/// so a uContact login redirected to another host would post the password there. This is the one place
/// a redirect is followed, and only for a plain GET that carries no credential (a recording moved to a
/// CDN or a signed storage URL), at most `maxRedirects` times, never from https to http.
extension HTTPFetcher {
    public static let maxRedirects = 3

    /// Headers that are no credential; a request with any other header, a body, or a method other
    /// than GET or HEAD is never re-sent after a redirect.
    static let plainHeaders: Set<String> = ["accept", "accept-encoding", "accept-language", "range", "if-range", "user-agent"]

    static func carriesCredentials(_ request: HTTPClientRequest) -> Bool {
        request.body != nil || (request.method != .GET && request.method != .HEAD)
            || request.headers.contains { !plainHeaders.contains($0.name.lowercased()) }
    }

    /// Sends `request`, following only the redirects described above.
    func execute(_ request: HTTPClientRequest, timeout: TimeInterval) async throws -> HTTPClientResponse {
        var current = request
        var hops = 0
        while true {
            let response = try await client.execute(current, timeout: .milliseconds(CheckedNumber.milliseconds(timeout)))
            let status = Int(response.status.code)
            guard [301, 302, 303, 307, 308].contains(status) else { return response }
            let location = response.headers.first(name: "Location") ?? ""
            let target = URL(string: location, relativeTo: URL(string: current.url))?.absoluteURL
            let shown = target.map(Self.shown) ?? "an unreadable Location"
            func refuse(_ reason: String) -> RedirectRefused {
                RedirectRefused(url: Self.shown(URL(string: request.url)), status: status, location: shown, reason: reason)
            }
            guard let target, let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https", target.host != nil,
                  target.user == nil, target.password == nil
            else { throw refuse("not an http(s) URL without credentials; the redirect is not followed") }
            if Self.carriesCredentials(current) {
                throw refuse("the request carries credentials, which are never re-sent after a redirect: point the configured URL at the server that answers")
            }
            if current.url.lowercased().hasPrefix("https:") && scheme == "http" {
                throw refuse("a redirect from https to http is never followed")
            }
            hops += 1
            guard hops <= Self.maxRedirects else { throw refuse("more than \(Self.maxRedirects) redirects") }
            // The redirect's own body is small and unread; the connection is not reused for it.
            _ = try? await response.body.collect(upTo: 64 << 10)
            var next = HTTPClientRequest(url: target.absoluteString)
            next.method = current.method
            next.headers = current.headers
            current = next
        }
    }

    /// A URL as errors show it: scheme, host, port and path; no userinfo, no query.
    static func shown(_ url: URL?) -> String {
        guard let url, let components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return "a URL" }
        var plain = URLComponents()
        plain.scheme = components.scheme
        plain.host = components.host
        plain.port = components.port
        plain.percentEncodedPath = components.percentEncodedPath
        return plain.string ?? "a URL"
    }
}
