import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP request as a loopback test server received it.
public struct RawRequest: Sendable {
    public var method: String
    /// Path and query, as sent.
    public var target: String
    public var headers: [(String, String)]
    public var body: Data
    /// When its head was read.
    public var receivedAt = Date()

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    /// The request's bytes as text (head and body): what an echoing server would quote.
    public var text: String {
        "\(method) \(target) HTTP/1.1\r\n" + headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n" + String(decoding: body, as: UTF8.self)
    }
}

/// An answer a loopback test server writes byte for byte: whatever headers it is given (a
/// `Content-Length` of `inf` too), then the body, cut after `cutAfter` bytes when set; the connection is
/// closed after each answer.
public struct RawResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data
    /// Sent instead of the body's length (`nil`: the true length).
    public var contentLength: String?
    /// Only this many body bytes are sent before the connection is closed.
    public var cutAfter: Int?

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data(), contentLength: String? = nil, cutAfter: Int? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.contentLength = contentLength
        self.cutAfter = cutAfter
    }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    public mutating func set(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }
}

/// A plain-socket HTTP/1.1 server on a loopback address, a thread per connection, for tests that must
/// answer as no well-behaved server library would (a hostile vendor): every byte of the answer is the
/// handler's. Bounded: each socket times out after 15 s.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public let host: String
    public private(set) var port: Int = 0
    private let listener: Int32
    private let handler: @Sendable (RawRequest) -> RawResponse
    private let lock = NSLock()
    private var stopped = false
    private var received: [RawRequest] = []

    public var baseURL: String { "http://\(host):\(port)" }

    /// Every request received so far.
    public var requests: [RawRequest] { lock.withLock { received } }

    public init(host: String = "127.0.0.1", handler: @escaping @Sendable (RawRequest) -> RawResponse) throws {
        self.host = host
        self.handler = handler
        (listener, port) = try LoopbackSocket.listen(on: host)
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops listening (once: a second close could close a descriptor the process has reused).
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop() {
        while !lock.withLock({ stopped }) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        Self.setTimeout(connection)
        guard let request = Self.readRequest(connection) else { return }
        lock.withLock { received.append(request) }
        Self.write(handler(request), to: connection)
    }

    static func setTimeout(_ descriptor: Int32) {
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    static func readRequest(_ descriptor: Int32) -> RawRequest? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            guard buffer.count < 1 << 20 else { return nil }
        }
        let split = buffer.range(of: separator)!
        let head = String(decoding: buffer[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        var body = Data(buffer[split.upperBound...])
        let requestLine = head[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        while body.count < length {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            body.append(contentsOf: chunk[0..<count])
        }
        return RawRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    static func write(_ response: RawResponse, to descriptor: Int32) {
        var head = "HTTP/1.1 \(response.status) \(response.status < 400 ? "OK" : "Error")\r\n"
        for (name, value) in response.headers where !["content-length", "transfer-encoding", "connection"].contains(name.lowercased()) {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(response.contentLength ?? String(response.body.count))\r\nConnection: close\r\n\r\n"
        var bytes = Data(head.utf8)
        bytes.append(response.cutAfter.map { response.body.prefix($0) } ?? response.body)
        bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let count = send(descriptor, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard count > 0 else { return }
                sent += count
            }
        }
    }

    /// Sends `request` to `host:port` as it came (on a connection of its own, closed after the answer)
    /// and reads the whole answer, chunked or not.
    public static func forward(_ request: RawRequest, host: String = "127.0.0.1", port: Int) -> RawResponse {
        guard let descriptor = LoopbackSocket.connect(to: host, port: port) else {
            return RawResponse(status: 502, body: Data("upstream refused".utf8))
        }
        defer { close(descriptor) }
        setTimeout(descriptor)
        var head = "\(request.method) \(request.target) HTTP/1.1\r\n"
        for (name, value) in request.headers where !["connection", "host", "content-length"].contains(name.lowercased()) {
            head += "\(name): \(value)\r\n"
        }
        head += "Host: \(host):\(port)\r\nContent-Length: \(request.body.count)\r\nConnection: close\r\n\r\n"
        var bytes = Data(head.utf8)
        bytes.append(request.body)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
        var answer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else { break }
            answer.append(contentsOf: chunk[0..<count])
        }
        guard let split = answer.range(of: Data("\r\n\r\n".utf8)) else { return RawResponse(status: 502) }
        let lines = String(decoding: answer[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 502
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Data(answer[split.upperBound...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            body = dechunk(body)
        }
        return RawResponse(status: status, headers: headers.filter { !["transfer-encoding", "content-length", "connection"].contains($0.0.lowercased()) }, body: body)
    }

    static func dechunk(_ data: Data) -> Data {
        var result = Data()
        var index = data.startIndex
        let crlf = Data("\r\n".utf8)
        while let line = data.range(of: crlf, in: index..<data.endIndex) {
            let size = Int(String(decoding: data[index..<line.lowerBound], as: UTF8.self).split(separator: ";").first ?? "", radix: 16) ?? 0
            guard size > 0, line.upperBound + size <= data.endIndex else { break }
            result.append(data[line.upperBound..<(line.upperBound + size)])
            index = line.upperBound + size + 2
        }
        return result
    }
}
