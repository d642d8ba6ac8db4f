/// RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line
/// break. A cell that begins with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`, so a
/// spreadsheet shows it as text instead of running it as a formula. nil is an empty cell. The tests
/// are on bytes: the characters that matter are ASCII, and a CR LF inside a cell is one Character
/// (equal to neither "\r" nor "\n") but two bytes.
public enum CSV {
    public static func render(header: [String], rows: [[String?]]) -> String {
        String(decoding: bytes(header: header, rows: rows), as: UTF8.self)
    }

    /// The same text as UTF-8 bytes.
    public static func bytes(header: [String], rows: [[String?]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 1) * 12 * max(1, header.count))
        write(header: header, rows: rows, chunk: .max) { out.append(contentsOf: $0) }
        return out
    }

    /// The same bytes handed to `sink` about `chunk` bytes at a time, written cell by cell (a year's
    /// abandoned calls are 12 M cells and 127 MB, which need not be in memory at once).
    public static func write(header: [String], rows: [[String?]], chunk: Int = 1 << 20, _ sink: ([UInt8]) throws -> Void) rethrows {
        try write(header: Optional(header), rows: rows, chunk: chunk, sink)
    }

    /// Rows without a header, to follow rows written before.
    public static func write(rows: some Collection<[String?]>, chunk: Int = 1 << 20, _ sink: ([UInt8]) throws -> Void) rethrows {
        try write(header: nil, rows: rows, chunk: chunk, sink)
    }

    private static func write(header: [String]?, rows: some Collection<[String?]>, chunk: Int, _ sink: ([UInt8]) throws -> Void) rethrows {
        var out: [UInt8] = []
        out.reserveCapacity(min(chunk, (rows.count + 1) * 12 * max(1, header?.count ?? rows.first?.count ?? 1)) + 4_096)
        if let header { append(header, to: &out) }
        for row in rows {
            append(row, to: &out)
            if out.count >= chunk {
                try sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try sink(out) }
    }

    private static func append(_ cells: [String?], to out: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if var cell { appendField(&cell, to: &out) }
        }
        out.append(UInt8(ascii: "\r"))
        out.append(UInt8(ascii: "\n"))
    }

    private static func appendField(_ cell: inout String, to out: inout [UInt8]) {
        cell.withUTF8 { utf8 in
            let quoted = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            if quoted { out.append(UInt8(ascii: "\"")) }
            if let first = utf8.first, formulaStarts(first) { out.append(UInt8(ascii: "'")) }
            if quoted {
                for byte in utf8 {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: utf8)
            }
        }
    }

    private static func formulaStarts(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@") || byte == 0x09 || byte == 0x0D
    }
}
