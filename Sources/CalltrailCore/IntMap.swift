/// A map from integers to values, for the groups the adding thread counts into once per call (an
/// interval's, a day's, a queue's tally, a wait's count). Swift's Dictionary feeds every key through
/// SipHash, which was the adding thread's largest cost (BENCHMARKS.md, "The year report"); here a key is
/// found by open addressing over a multiplicative (Fibonacci) hash, and the last key found is tried
/// first, as calls come in order of time and an interval's or a day's calls follow each other.
/// Entries keep the order they were first added in. Inlinable: the report engine (another module)
/// counts into it once per call, where an unspecialized generic call would cost more than the lookup.
public struct IntMap<Value> {
    @usableFromInline var storedKeys: [Int] = []
    @usableFromInline var storedValues: [Value] = []
    @inlinable public var keys: [Int] { storedKeys }
    @inlinable public var values: [Value] { storedValues }
    /// Each slot holds an entry's index plus one; 0 is empty. The count is a power of two.
    @usableFromInline var slots: [Int32] = []
    @usableFromInline var shift = 64
    @usableFromInline var last = -1

    @inlinable public init() {}

    /// The value of `key`, `make()` added for it first if it has none.
    @inlinable public subscript(key: Int, default make: @autoclosure () -> Value) -> Value {
        get { index(of: key).map { storedValues[$0] } ?? make() }
        _modify {
            let index = index(adding: key, make)
            yield &storedValues[index]
        }
    }

    @inlinable public subscript(key: Int) -> Value? { index(of: key).map { storedValues[$0] } }

    /// Adds `key` with `make()` unless it is there.
    @inlinable public mutating func insert(_ key: Int, _ make: @autoclosure () -> Value) { _ = index(adding: key, make) }

    @inlinable public func index(of key: Int) -> Int? {
        if last >= 0, storedKeys[last] == key { return last }
        guard !slots.isEmpty else { return nil }
        var slot = home(of: key)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if storedKeys[entry - 1] == key { return entry - 1 }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    @inlinable mutating func index(adding key: Int, _ make: () -> Value) -> Int {
        if last >= 0, storedKeys[last] == key { return last }
        if (storedKeys.count + 1) * 4 > slots.count * 3 { grow() }
        var slot = home(of: key)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if storedKeys[entry - 1] == key {
                last = entry - 1
                return last
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        storedKeys.append(key)
        storedValues.append(make())
        slots[slot] = Int32(storedKeys.count)
        last = storedKeys.count - 1
        return last
    }

    @inlinable mutating func grow() {
        let size = max(8, slots.count * 2)
        shift = 64 - size.trailingZeroBitCount
        slots = [Int32](repeating: 0, count: size)
        for (index, key) in storedKeys.enumerated() {
            var slot = home(of: key)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index + 1)
        }
    }

    /// The slot a key is looked for from: the top bits of the key times 2⁶⁴/φ, which every bit of the
    /// key reaches.
    @inlinable func home(of key: Int) -> Int { Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift)) }

    /// The entries, in the order they were first added.
    @inlinable public var entries: [(key: Int, value: Value)] { zip(storedKeys, storedValues).map { (key: $0, value: $1) } }

    /// The entries in order of their keys.
    @inlinable public var sortedByKey: [(key: Int, value: Value)] { entries.sorted { $0.key < $1.key } }
}

extension IntMap: Sendable where Value: Sendable {}
