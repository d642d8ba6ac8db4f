/// RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line
/// break. A cell that begins with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`, so a
/// spreadsheet shows it as text instead of running it as a formula. nil is an empty cell. The tests
/// are on bytes: the characters that matter are ASCII, and a CR LF inside a cell is one Character
/// (equal to neither "\r" nor "\n") but two bytes.
public enum CSV {
    public static func render(header: [String], rows: [[String?]]) -> String {
        var out = ""
        out.reserveCapacity((rows.count + 1) * 16 * max(1, header.count))
        append(header, to: &out)
        for row in rows { append(row.map { $0 ?? "" }, to: &out) }
        return out
    }

    static func append(_ cells: [String], to out: inout String) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { out += "," }
            out += field(cell)
        }
        out += "\r\n"
    }

    static func field(_ raw: String) -> String {
        var value = raw
        if let first = raw.utf8.first, formulaStarts.contains(first) {
            value = "'" + raw
        }
        if value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    private static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]
}
