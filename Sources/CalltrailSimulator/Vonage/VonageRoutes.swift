import CalltrailCore
import Foundation
import Hummingbird
import NIOCore

/// `/Auth/connect/token`, `/stats/interactions`, `/stats/queue-times`.
struct VonageRoutes {
    let backend: VonageBackend

    func register(on router: Router<BasicRequestContext>) {
        router.post("Auth/connect/token") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            return Self.response(await backend.token(form: FormBody.decode(String(buffer: body))))
        }
        for kind in ["interactions", "queue-times"] {
            router.get(RouterPath("stats/\(kind)")) { request, _ in
                var query: [String: String] = [:]
                for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
                let (reply, delay) = await backend.stats(kind, authorization: request.headers[.authorization],
                                                         accept: request.headers[.accept], query: query)
                if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
                return Self.response(reply)
            }
        }
    }

    static func response(_ reply: VonageBackend.Reply) -> Response {
        switch reply {
        case .json(let text):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .error(let status, let body):
            return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        case .rateLimited(let seconds):
            var response = Response(status: .tooManyRequests, headers: [.contentType: "application/json"],
                                    body: .init(byteBuffer: ByteBuffer(string: "{\"message\":\"Too many requests\"}")))
            response.headers[.retryAfter] = String(seconds)
            return response
        }
    }
}
