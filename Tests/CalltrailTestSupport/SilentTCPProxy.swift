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
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 16) == 0 else { throw HarnessError(description: "proxy: bind/listen failed (\(errno))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
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

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return address
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if lock.withLock({ stopped }) { return }
                continue
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: UInt16(upstreamPort))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
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
