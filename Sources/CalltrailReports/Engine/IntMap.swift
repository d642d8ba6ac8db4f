/// A map from integers to values, for the groups the adding thread counts into once per call (an
/// interval's, a day's, a queue's tally, a wait's count). Swift's Dictionary feeds every key through
/// SipHash, which was the adding thread's largest cost (BENCHMARKS.md, "The year report"); here a key is
/// found by open addressing over a multiplicative (Fibonacci) hash, and the last key found is tried
/// first, as calls come in order of time and an interval's or a day's calls follow each other.
/// Entries keep the order they were first added in.
struct IntMap<Value> {
    private(set) var keys: [Int] = []
    private(set) var values: [Value] = []
    /// Each slot holds an entry's index plus one; 0 is empty. The count is a power of two.
    private var slots: [Int32] = []
    private var shift = 64
    private var last = -1

    init() {}

    /// The value of `key`, `make()` added for it first if it has none.
    subscript(key: Int, default make: @autoclosure () -> Value) -> Value {
        get { index(of: key).map { values[$0] } ?? make() }
        _modify {
            let index = index(adding: key, make)
            yield &values[index]
        }
    }

    subscript(key: Int) -> Value? { index(of: key).map { values[$0] } }

    /// Adds `key` with `make()` unless it is there.
    mutating func insert(_ key: Int, _ make: @autoclosure () -> Value) { _ = index(adding: key, make) }

    func index(of key: Int) -> Int? {
        if last >= 0, keys[last] == key { return last }
        guard !slots.isEmpty else { return nil }
        var slot = home(of: key)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if keys[entry - 1] == key { return entry - 1 }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    private mutating func index(adding key: Int, _ make: () -> Value) -> Int {
        if last >= 0, keys[last] == key { return last }
        if (keys.count + 1) * 4 > slots.count * 3 { grow() }
        var slot = home(of: key)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if keys[entry - 1] == key {
                last = entry - 1
                return last
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        keys.append(key)
        values.append(make())
        slots[slot] = Int32(keys.count)
        last = keys.count - 1
        return last
    }

    private mutating func grow() {
        let size = max(8, slots.count * 2)
        shift = 64 - size.trailingZeroBitCount
        slots = [Int32](repeating: 0, count: size)
        for (index, key) in keys.enumerated() {
            var slot = home(of: key)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index + 1)
        }
    }

    /// The slot a key is looked for from: the top bits of the key times 2⁶⁴/φ, which every bit of the
    /// key reaches.
    private func home(of key: Int) -> Int { Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift)) }

    /// The entries, in the order they were first added.
    var entries: [(key: Int, value: Value)] { zip(keys, values).map { (key: $0, value: $1) } }

    /// The entries in order of their keys.
    var sortedByKey: [(key: Int, value: Value)] { entries.sorted { $0.key < $1.key } }
}
