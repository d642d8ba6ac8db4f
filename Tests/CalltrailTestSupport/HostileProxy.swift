import Foundation

/// Where a hostile proxy puts its value.
public enum HostileMode: String, CaseIterable, Sendable {
    /// In every record of every JSON answer, one numeric field in turn.
    case recordNumbers
    /// Every number of a JSON answer outside its records (totals, page counts, codes).
    case pageNumbers
    /// `Retry-After` on a 429 before the first answer of each path, then `Total` and `Content-Range`
    /// wherever the vendor sends them (a recording cut half way, so the client resumes with a range).
    case headers
    /// `Content-Length` of every answer.
    case contentLength
}

/// A loopback server in front of the simulator that answers as a hostile vendor would: every answer
/// is the simulator's, with one kind of number (`mode`) replaced by `value`. URLs the simulator writes
/// into its bodies (Meiqia's and CCAI's recording URLs) are pointed at the proxy, so recordings come
/// through it too.
public final class HostileProxy: Sendable {
    public let server: LoopbackHTTPServer
    private let state: Counters

    public var baseURL: String { server.baseURL }
    /// Numbers and headers replaced so far.
    public var replaced: Int { state.withLock { $0.replaced } }
    /// Resumed downloads answered with a hostile `Content-Range`.
    public var contentRanges: Int { state.withLock { $0.ranges } }

    /// What the proxy counted, shared with its request handler.
    final class Counters: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (requests: Int, replaced: Int, seenPaths: Set<String>, base: String, ranges: Int) = (0, 0, [], "", 0)
        func withLock<T>(_ body: (inout (requests: Int, replaced: Int, seenPaths: Set<String>, base: String, ranges: Int)) -> T) -> T {
            lock.withLock { body(&value) }
        }
    }

    public init(upstreamPort: Int, mode: HostileMode, value: HostileValue) throws {
        let state = Counters()
        self.state = state
        server = try LoopbackHTTPServer { request in
            let (turn, firstOfPath) = state.withLock { counters -> (Int, Bool) in
                counters.requests += 1
                let path = String(request.target.prefix { $0 != "?" })
                return (counters.requests, counters.seenPaths.insert(path).inserted)
            }
            func count(_ n: Int) { state.withLock { $0.replaced += n } }
            if mode == .headers && firstOfPath {
                count(1)
                return RawResponse(status: 429, headers: [("Retry-After", value.header)], body: Data("slow down".utf8))
            }
            var response = LoopbackHTTPServer.forward(request, port: upstreamPort)
            let isJSON = (response.header("Content-Type") ?? "").contains("json")
                || response.body.first.map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") } == true
            if isJSON {
                let upstream = Data("127.0.0.1:\(upstreamPort)".utf8)
                let own = Data(state.withLock { $0.base }.utf8)
                response.body = Self.replacingAll(upstream, with: own, in: response.body)
            }
            switch mode {
            case .recordNumbers where isJSON:
                let (body, n) = HostileJSON.replacingRecordNumbers(response.body, with: value, turn: turn)
                response.body = body
                count(n)
            case .pageNumbers where isJSON:
                let (body, n) = HostileJSON.replacingPageNumbers(response.body, with: value)
                response.body = body
                count(n)
            case .headers:
                // A validator, so a cut download resumes with Range and If-Range (the simulator sends none).
                if !isJSON, response.status == 200 || response.status == 206 { response.set("ETag", "\"hostile-v1\"") }
                if response.header("Total") != nil { response.set("Total", value.header); count(1) }
                if response.status == 206 {
                    response.set("Content-Range", "bytes \(value.header)-\(value.header)/\(value.header)")
                    count(1)
                    state.withLock { $0.ranges += 1 }
                }
                if !isJSON, response.status == 200, response.body.count > 1024, request.header("Range") == nil {
                    // Cut half way: the client resumes with a range, and reads the Content-Range above.
                    response.cutAfter = response.body.count / 2
                }
            case .contentLength:
                response.contentLength = value.header
                count(1)
            default:
                break
            }
            return response
        }
        let port = server.port
        state.withLock { $0.base = "127.0.0.1:\(port)" }
    }

    public func stop() { server.stop() }

    static func replacingAll(_ target: Data, with replacement: Data, in data: Data) -> Data {
        guard !target.isEmpty, data.range(of: target) != nil else { return data }
        var result = Data()
        var index = data.startIndex
        while let found = data.range(of: target, in: index..<data.endIndex) {
            result.append(data[index..<found.lowerBound])
            result.append(replacement)
            index = found.upperBound
        }
        result.append(data[index...])
        return result
    }
}
