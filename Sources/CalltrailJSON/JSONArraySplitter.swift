import Foundation

/// Splits a JSON array into the exact bytes of each element (as ranges of the body, nothing copied), so
/// every record's raw text is kept as the vendor sent it and one malformed element costs one record,
/// not the page.
public enum JSONArraySplitter {
    public enum Failure: Error, Equatable {
        case notAnArray
        case unterminated
    }

    /// The elements of the array that starts at `offset` (after white space); what follows the array's
    /// closing bracket is not read.
    public static func elements(in raw: UnsafeRawBufferPointer, from offset: Int = 0) throws -> [Range<Int>] {
        do {
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = offset
            func skipSpace() { while i < bytes.count, isSpace(bytes[i]) { i += 1 } }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { throw Failure.notAnArray }
            i += 1
            var elements: [Range<Int>] = []
            var depth = 0
            var inString = false
            var escaped = false
            var start: Int?
            while i < bytes.count {
                let byte = bytes[i]
                if inString {
                    if escaped { escaped = false }
                    else if byte == UInt8(ascii: "\\") { escaped = true }
                    else if byte == UInt8(ascii: "\"") { inString = false }
                } else {
                    switch byte {
                    case UInt8(ascii: "\""):
                        inString = true
                        if start == nil { start = i }
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        if start == nil { start = i }
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 {
                            // The closing bracket of the array itself.
                            guard byte == UInt8(ascii: "]") else { throw Failure.unterminated }
                            if let s = start { elements.append(trimmed(bytes, s, i)) }
                            return elements
                        }
                        depth -= 1
                    case UInt8(ascii: ","):
                        if depth == 0 {
                            if let s = start { elements.append(trimmed(bytes, s, i)) }
                            start = nil
                        }
                    case 0x20, 0x09, 0x0A, 0x0D:
                        break
                    default:
                        if start == nil { start = i }
                    }
                }
                i += 1
            }
            throw Failure.unterminated
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
        var e = end
        while e > start, isSpace(bytes[e - 1]) { e -= 1 }
        return start..<e
    }
}
