/// Trims ASCII spaces and tabs. Foundation's `trimmingCharacters(in:)` bridges through NSString on
/// Linux (≈ 0.5 µs a call), and vendor enum values are read a few times per record.
extension StringProtocol {
    public var trimmingSpaces: SubSequence {
        var start = startIndex, end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return self[start..<end]
    }
}
