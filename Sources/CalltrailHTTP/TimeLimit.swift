import Foundation

/// Bounds a piece of async work in time: a response that trickles forever is cut off with a clear
/// error instead of holding the run.
public enum TimeLimit {
    public struct Exceeded: Error, CustomStringConvertible, Sendable {
        public let seconds: TimeInterval
        public var description: String { "timed out after \(Int(seconds.rounded(.up))) s" }
    }

    public static func run<T: Sendable>(seconds: TimeInterval, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                throw Exceeded(seconds: seconds)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
