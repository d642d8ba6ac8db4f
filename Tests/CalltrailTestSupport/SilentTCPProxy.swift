import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 in front of a server on loopback that goes silent: once the client has sent
/// `trigger` (a `COPY`), nothing more crosses in either direction, and no connection is closed. A
/// connection that stops answering, as a stuck network path or a frozen server does; keepalives are
/// still answered by the kernel. Each connection is served by two threads; `stop()` closes them all.
public final class SilentTCPProxy: @unchecked Sendable {
    public private(set) var port = 0
    private let upstreamPort: Int
    private let trigger: [UInt8]
    private let listener: Int32
    private let lock = NSLock()
    private var descriptors: [Int32] = []
    private var silentNow = false
    private var stopped = false

    /// True once the trigger went by.
    public var silent: Bool { lock.withLock { silentNow } }

    public init(upstreamPort: Int, silentAfter trigger: String) throws {
        self.upstreamPort = upstreamPort
        self.trigger = Array(trigger.utf8)
        (listener, port) = try LoopbackSocket.listen(on: "127.0.0.1", backlog: 16)
        Thread { [self] in acceptLoop() }.start()
    }

    public func stop() {
        let all = lock.withLock { () -> [Int32] in
            stopped = true
            return descriptors
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for descriptor in all { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if lock.withLock({ stopped }) { return }
                continue
            }
            guard let upstream = LoopbackSocket.connect(to: "127.0.0.1", port: upstreamPort) else {
                close(client)
                continue
            }
            lock.withLock { descriptors += [client, upstream] }
            Thread { [self] in pump(from: client, to: upstream, watch: true) }.start()
            Thread { [self] in pump(from: upstream, to: client, watch: false) }.start()
        }
    }

    /// Copies bytes until either side closes; after the trigger, reads and drops them.
    private func pump(from source: Int32, to target: Int32, watch: Bool) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var tail: [UInt8] = []
        while true {
            let count = recv(source, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            let chunk = Array(buffer[0..<count])
            if watch, !silent {
                let window = tail + chunk
                if SilentTCPProxy.contains(window, trigger) { lock.withLock { silentNow = true } }
                tail = Array(window.suffix(trigger.count))
            }
            if silent { continue }
            var sent = 0
            while sent < chunk.count {
                let written = chunk.withUnsafeBytes { send(target, $0.baseAddress! + sent, chunk.count - sent, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { return }
                sent += written
            }
        }
        if !silent { shutdown(target, Int32(SHUT_WR)) }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, !needle.isEmpty else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
