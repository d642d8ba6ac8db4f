/// RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line
/// break. A cell that begins with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`, so a
/// spreadsheet shows it as text instead of running it as a formula. nil is an empty cell.
public enum CSV {
    public static func render(header: [String], rows: [[String?]]) -> String {
        var out = line(header)
        for row in rows { out += line(row.map { $0 ?? "" }) }
        return out
    }

    static func line(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ raw: String) -> String {
        var value = raw
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
