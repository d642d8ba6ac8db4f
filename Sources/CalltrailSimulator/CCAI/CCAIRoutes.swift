import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /manager/api/v1/calls` with `Total` and `Link` headers.
struct CCAIRoutes {
    let backend: CCAIBackend

    func register(on router: Router<BasicRequestContext>) {
        router.get("manager/api/v1/calls") { request, _ in
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key).removingPercentEncoding ?? String(key)] = String(value).removingPercentEncoding ?? String(value) }
            let host = request.head.authority.map { "http://\($0)" } ?? "http://127.0.0.1"
            let (reply, delay) = await backend.list(authorization: request.headers[.authorization], query: query, baseURL: host)
            if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            switch reply {
            case .page(let json, let total, let link):
                var headers: HTTPFields = [.contentType: "application/json"]
                headers[HTTPField.Name("Total")!] = String(total)
                if let link { headers[HTTPField.Name("Link")!] = link }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
            case .error(let status, let message):
                return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: "{\"message\":\"\(message)\"}")))
            case .rateLimited(let seconds):
                var response = Response(status: .tooManyRequests, headers: [.contentType: "application/json"],
                                        body: .init(byteBuffer: ByteBuffer(string: "{\"message\":\"Rate limit exceeded\"}")))
                response.headers[.retryAfter] = String(seconds)
                return response
            }
        }
    }
}
