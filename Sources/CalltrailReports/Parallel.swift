import Foundation

/// Work spread over every core: the report's datasets and files, which are independent of each other
/// and, for a year, large.
enum Parallel {
    /// `body` of each index in `0..<count`, run on every core at once; the results in order of index.
    static func map<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Results<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { index in results.set(index, body(index)) }
        return results.values
    }

    private final class Results<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [T?]

        init(_ count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }

        var values: [T] { lock.withLock { slots.map { $0! } } }
    }
}
