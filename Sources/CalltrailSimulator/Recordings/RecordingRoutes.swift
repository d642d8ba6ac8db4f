import Foundation
import Hummingbird
import NIOCore

/// `/telephony/records/...` answers HEAD; `/backup/records/...` refuses HEAD (405) and honours
/// `Range`, so the client must probe it with a ranged GET.
struct RecordingRoutes {
    let server: RecordingServer

    func register(on router: Router<BasicRequestContext>) {
        for name in ["telephony", "backup"] {
            // One parameter name per depth (Hummingbird's rule): `{first}` is the day folder or the file.
            for path in ["\(name)/records/:first/:second", "\(name)/records/:first"] {
                router.get(RouterPath(path)) { request, context in
                    try await serve(request, context, server: name)
                }
                router.head(RouterPath(path)) { request, context in
                    name == "backup" ? Response(status: .methodNotAllowed) : try await serve(request, context, server: name, head: true)
                }
            }
        }
    }

    /// `/<root>/<file>.mp3`: the files a vendor serves flat (`RecordingServer.serveFiles`), HEAD answered.
    func registerFiles(at root: String, on router: Router<BasicRequestContext>) {
        router.get(RouterPath("\(root)/:first")) { _, context in
            Self.reply(await server.file(at: root, name: context.parameters.get("first") ?? ""), head: false)
        }
        router.head(RouterPath("\(root)/:first")) { _, context in
            Self.reply(await server.file(at: root, name: context.parameters.get("first") ?? ""), head: true)
        }
    }

    static func reply(_ reply: RecordingServer.Reply, head: Bool) -> Response {
        switch reply {
        case .notFound: Response(status: .notFound)
        case .bytes(let data, let type):
            Response(status: .ok, headers: [.contentType: type, .contentLength: String(data.count)],
                     body: head ? .init() : .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    func serve(_ request: Request, _ context: BasicRequestContext, server name: String, head: Bool = false) async throws -> Response {
        if !head, let seconds = await server.noteGet(request.uri.path) {
            return Response(status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
        }
        let hanging = await server.shouldHang()
        let stall = !head && hanging
        let first = context.parameters.get("first") ?? ""
        let second = context.parameters.get("second")
        let (day, file) = second.map { (Optional(first), $0) } ?? (nil, first)
        switch await server.file(server: name, day: day, name: file) {
        case .notFound:
            return Response(status: .notFound)
        case .bytes(let data, let contentType):
            let (status, headers, body) = Self.ranged(data, contentType: contentType, request: request)
            if stall {
                // The stalled server: the first 4 KB, then nothing while the fault is on (at most a
                // minute), ranged requests alike.
                let (server, body) = (self.server, body)
                return Response(status: status, headers: headers, body: .init(contentLength: body.count) { writer in
                    try await writer.write(ByteBuffer(bytes: body.prefix(4096)))
                    for _ in 0..<600 {
                        guard await server.shouldHang() else { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    try await writer.write(ByteBuffer(bytes: body.dropFirst(4096)))
                    try await writer.finish(nil)
                })
            }
            if status == .partialContent { return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body))) }
            return Response(status: .ok, headers: headers, body: head ? .init() : .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// The status, headers and body of a file served whole or, for a satisfiable `Range`, in part.
    static func ranged(_ data: Data, contentType: String, request: Request) -> (HTTPResponse.Status, HTTPFields, Data) {
        var headers: HTTPFields = [.contentType: contentType, .acceptRanges: "bytes"]
        var status = HTTPResponse.Status.ok
        var body = data
        if let header = request.headers[.range], let (start, end) = Self.range(header, size: data.count) {
            headers[.contentRange] = "bytes \(start)-\(end)/\(data.count)"
            status = .partialContent
            body = data.subdata(in: start..<(end + 1))
        }
        headers[.contentLength] = String(body.count)
        return (status, headers, body)
    }

    /// `bytes=a-b` or `bytes=a-` within `size`.
    static func range(_ header: String, size: Int) -> (Int, Int)? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let parts = header.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]), start < size else { return nil }
        let end = min(size - 1, Int(parts[1]) ?? size - 1)
        return end >= start ? (start, end) : nil
    }
}
