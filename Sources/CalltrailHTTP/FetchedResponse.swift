import NIOCore
import NIOHTTP1

/// A vendor response, fully read (bounded in size).
public struct FetchedResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: Int, headers: HTTPHeaders, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(buffer: body) }
}
