import Foundation

/// SplitMix64: small, fast and the same on every machine, so a seed always gives the same history.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func exponential(mean: Double) -> Double { -mean * log(1 - unit()) }

    /// Log-normal with the given median and shape.
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        let normal = sqrt(-2 * log(u1)) * cos(2 * .pi * u2)
        return median * exp(sigma * normal)
    }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    public mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(next() % 10)) })
    }

    /// A version-4-shaped UUID in lower case, as uContact's guids look.
    public mutating func guid() -> String {
        let hex = Array("0123456789abcdef".utf8)
        var digits = [UInt8](repeating: 0, count: 32)
        for index in 0..<32 { digits[index] = hex[Int(next() % 16)] }
        // 8-4-4-4-12, the version nibble 4 and the variant nibble a in place of digits 12 and 16.
        var text: [UInt8] = []
        text.reserveCapacity(36)
        text += digits[0..<8]
        text.append(UInt8(ascii: "-"))
        text += digits[8..<12]
        text += Array("-4".utf8)
        text += digits[13..<16]
        text += Array("-a".utf8)
        text += digits[17..<20]
        text.append(UInt8(ascii: "-"))
        text += digits[20..<32]
        return String(decoding: text, as: UTF8.self)
    }
}
