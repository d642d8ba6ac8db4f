import CalltrailCore
import Foundation
import Hummingbird
import NIOCore

/// The Integra endpoints: `auth/getUserToken`, `auth/EndSession`, `Cdr/getrecords`, `Supervisor/convert`.
struct UContactRoutes {
    let backend: UContactBackend
    let recordings: RecordingServer

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("Integra/resources")
        api.post("auth/getUserToken") { request, _ in
            let form = try await Self.form(request)
            switch await backend.login(user: form["user"] ?? "", password: form["password"] ?? "") {
            case .token(let token):
                return Self.reply(.ok, "[\"\(form["user"] ?? "")\",\"\(token)\"]", json: true)
            case .refused:
                return Self.reply(.ok, "0")
            }
        }
        api.post("auth/EndSession") { request, _ in
            let form = try await Self.form(request)
            return Self.reply(.ok, await backend.endSession(token: form["token"] ?? "") ? "1" : "0")
        }
        api.post("Supervisor/convert") { request, _ in
            let form = try await Self.form(request)
            guard await backend.isAuthorized(request.headers[.authorization]) else { return Self.reply(.unauthorized, "Unauthorized") }
            let done = await recordings.convert(guid: form["guid"] ?? "", folder: form["folder"] ?? "")
            return Self.reply(.ok, done ? "1" : "0")
        }
        api.post("Supervisor/campaignstatus") { request, _ in
            let form = try await Self.form(request)
            guard let json = await backend.campaignStatus(authorization: request.headers[.authorization], queue: form["queue"] ?? "") else {
                return Self.reply(.unauthorized, "Unauthorized")
            }
            return Self.reply(.ok, json, json: true)
        }
        api.post("Cdr/getrecords") { request, _ in
            let form = try await Self.form(request)
            let (result, delay) = await backend.listing(authorization: request.headers[.authorization], form: form)
            if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            switch result {
            case .records(let json): return Self.reply(.ok, json, json: true)
            case .zero: return Self.reply(.ok, "0")
            case .unauthorized: return Self.reply(.unauthorized, "Unauthorized")
            case .rateLimited(let seconds):
                var response = Self.reply(.tooManyRequests, "Too Many Requests")
                response.headers[.retryAfter] = String(seconds)
                return response
            case .serverError: return Self.reply(.internalServerError, "<html><body>Internal Server Error</body></html>")
            case .hang:
                // Hangs while the fault stays on (at most a minute), so a test can release it.
                for _ in 0..<600 where await backend.faults.hangAfterRequests != nil {
                    try await Task.sleep(for: .milliseconds(100))
                }
                return Self.reply(.serviceUnavailable, "Service Unavailable")
            }
        }
    }

    static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        return FormBody.decode(String(buffer: buffer))
    }

    static func reply(_ status: HTTPResponse.Status, _ body: String, json: Bool = false) -> Response {
        Response(status: status, headers: [.contentType: json ? "application/json" : "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
