import Foundation
import Hummingbird
import NIOCore

/// `/unified-api/call/openapi/ent/v1/{records, rule_outnumber_group, sips}`.
struct MeiqiaRoutes {
    let backend: MeiqiaBackend

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("unified-api/call/openapi/ent/v1")
        api.post("records") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let (reply, delay) = await backend.records(authorization: request.headers[.authorization], body: Data(body.readableBytesView))
            if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            return Self.response(reply)
        }
        api.get("rule_outnumber_group") { request, _ in
            guard await backend.authorized(request.headers[.authorization]) else {
                return Self.response(.error(status: 401, code: "Unauthenticated", message: "access token 无效或已被重置"))
            }
            return Self.response(.json(await backend.numberGroups()))
        }
        api.get("sips") { request, _ in
            guard await backend.authorized(request.headers[.authorization]) else {
                return Self.response(.error(status: 401, code: "Unauthenticated", message: "access token 无效或已被重置"))
            }
            return Self.response(.json(await backend.seats()))
        }
    }

    static func response(_ reply: MeiqiaBackend.Reply) -> Response {
        switch reply {
        case .json(let text):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .error(let status, let code, let message):
            let body = "{\"error\":{\"code\":\"\(code)\",\"message\":\"\(message)\"}}"
            return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        case .rateLimited(let seconds):
            var response = Response(status: .tooManyRequests, headers: [.contentType: "application/json"],
                                    body: .init(byteBuffer: ByteBuffer(string: "{\"error\":{\"code\":\"ResourceExhausted\",\"message\":\"请求过于频繁\"}}")))
            response.headers[.retryAfter] = String(seconds)
            return response
        }
    }
}
