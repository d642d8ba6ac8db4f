import CalltrailCore
import Foundation
import Synchronization

/// A nightly stage (or `calltrail publish`) against its deadline (`[nightly]`): past it, the stage ends as a failure and the
/// night goes on. The stage's work is cancelled and left behind rather than awaited, since work stuck
/// on a silent socket may never see the cancellation; the process's end stops it, and its lock goes
/// with the process.
public enum StageDeadline {
    public struct Passed: Error, CustomStringConvertible {
        public let stage: String
        public let seconds: TimeInterval
        public var description: String {
            let minutes = seconds / 60
            let shown = minutes == minutes.rounded() ? String(Int(minutes)) : String(format: "%.2f", minutes)
            return "\(stage) passed its deadline of \(shown) min ([nightly] \(stage)_deadline_minutes or deadline_minutes) and was stopped; the next run resumes it"
        }
    }

    public static func run<T: Sendable>(_ stage: String, seconds: TimeInterval, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.wait(continuation)
            let task = Task {
                do { outcome.finish(.success(try await work())) } catch { outcome.finish(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: .milliseconds(CheckedNumber.milliseconds(seconds)))
                if outcome.finish(.failure(Passed(stage: stage, seconds: seconds))) { task.cancel() }
            }
        }
    }

    /// The first of the work's end and the deadline resumes the stage; the other is dropped.
    final class Outcome<T: Sendable>: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, done: Bool)>((nil, false))

        func wait(_ continuation: CheckedContinuation<T, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        /// True when this call ended the stage.
        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
                guard !state.done else { return nil }
                state.done = true
                return state.continuation
            }
            continuation?.resume(with: result)
            return continuation != nil
        }
    }
}
