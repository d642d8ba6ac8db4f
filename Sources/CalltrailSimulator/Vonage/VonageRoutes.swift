import CalltrailCore
import Foundation
import Hummingbird
import NIOCore

/// `/Auth/connect/token`, `/stats/interactions`, `/stats/queue-times`, and the Interaction Content
/// API's `/interaction-content/interactions[/{guid}/content/callRecording]`.
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
                for (key, value) in request.uri.queryParameters { query[String(key).removingPercentEncoding ?? String(key)] = String(value).removingPercentEncoding ?? String(value) }
                let (reply, delay) = await backend.stats(kind, authorization: request.headers[.authorization],
                                                         accept: request.headers[.accept], query: query)
                if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
                return Self.response(reply)
            }
        }
        router.get("interaction-content/interactions") { request, _ in
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key).removingPercentEncoding ?? String(key)] = String(value).removingPercentEncoding ?? String(value) }
            return Self.response(await backend.contentList(authorization: request.headers[.authorization], accept: request.headers[.accept], query: query))
        }
        router.get("interaction-content/interactions/:guid/content/callRecording") { request, context in
            try await recording(request, context, head: false)
        }
        router.head("interaction-content/interactions/:guid/content/callRecording") { request, context in
            try await recording(request, context, head: true)
        }
    }

    /// A call recording: whole, a `Range` of it (206), or cut off halfway on its first GET.
    func recording(_ request: Request, _ context: BasicRequestContext, head: Bool) async throws -> Response {
        let reply = await backend.callRecording(context.parameters.get("guid") ?? "", authorization: request.headers[.authorization],
                                                accept: request.headers[.accept], head: head)
        switch reply {
        case .refused(let refusal):
            return Self.response(refusal)
        case .audio(let wav, let cutAt):
            let (status, headers, body) = RecordingRoutes.ranged(wav, contentType: "audio/wav", request: request)
            if head { return Response(status: status, headers: headers) }
            if let cutAt, cutAt < body.count {
                // The transfer breaks off: the promised length is never reached and the connection closes.
                let part = body.prefix(cutAt)
                return Response(status: status, headers: headers, body: .init(contentLength: body.count) { writer in
                    try await writer.write(ByteBuffer(bytes: part))
                    throw CancellationError()
                })
            }
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
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
