/// Masks a customer's number inside a vendor's JSON, in place and at the same length, so a page's
/// other records and every record's position stay as they were: each digit of an occurrence becomes
/// `X` inside a JSON string and `0` in a bare number (the JSON stays valid either way). An occurrence
/// must not run on into more digits (`099123456` inside `10991234567` is another number). In text
/// that is not JSON (a report's CSV or HTML) every digit becomes `X`.
struct NumberMasking {
    /// The forms the number may take in the vendor's bytes: as stored in calls, as the user gave it,
    /// its digits alone.
    let patterns: [[UInt8]]
    /// Not JSON: always `X`.
    var text = false

    init(forms: Set<String>, text: Bool = false) {
        self.text = text
        // Longest first: `+59899123456` is masked whole before `99123456` could match inside it.
        patterns = forms.filter { $0.filter(\.isNumber).count >= 3 }.map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Masks every occurrence outside `protected` (the byte ranges of held records); returns how many.
    func mask(_ bytes: inout [UInt8], protected: [Range<Int>] = []) -> Int {
        var count = 0
        for pattern in patterns where !pattern.isEmpty && pattern.count <= bytes.count {
            var start = 0
            while start + pattern.count <= bytes.count {
                guard let found = Self.find(pattern, in: bytes, from: start) else { break }
                let end = found + pattern.count
                start = found + 1
                let bounded = (found == 0 || !Self.isDigit(bytes[found - 1]) || !Self.isDigit(pattern[0]))
                    && (end == bytes.count || !Self.isDigit(bytes[end]) || !Self.isDigit(pattern[pattern.count - 1]))
                guard bounded, !protected.contains(where: { $0.overlaps(found..<end) }) else { continue }
                let filler = text || Self.insideString(bytes, at: found) ? UInt8(ascii: "X") : UInt8(ascii: "0")
                for index in found..<end where Self.isDigit(bytes[index]) { bytes[index] = filler }
                count += 1
                start = end
            }
        }
        return count
    }

    /// Whether a `"` comes before any structural character looking back from `index`.
    static func insideString(_ bytes: [UInt8], at index: Int) -> Bool {
        var position = index - 1
        while position >= 0 {
            switch bytes[position] {
            case UInt8(ascii: "\""): return true
            case UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"): return false
            default: position -= 1
            }
        }
        return false
    }

    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        let first = pattern[0]
        var index = start
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<pattern.count where bytes[index + offset] != pattern[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    func contains(_ bytes: [UInt8]) -> Bool {
        patterns.contains { Self.find($0, in: bytes, from: 0) != nil }
    }
}
