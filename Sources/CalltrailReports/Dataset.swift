/// A query's result as the report shows it: column names and text cells (SQL already formatted the
/// numbers: ratios with 4 decimals, durations with 1); nil is SQL NULL, an empty cell.
public struct Dataset: Sendable, Equatable {
    public var name: String
    public var columns: [String]
    public var rows: [[String?]]
    /// Rows past `rows` that only the dataset's CSV file holds: a long list the report wrote to its
    /// file during the pass, keeping the rows its page shows.
    public var moreRows: Int

    public init(name: String, columns: [String], rows: [[String?]], moreRows: Int = 0) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.moreRows = moreRows
    }

    /// Every row's count, those in the file only included.
    public var rowCount: Int { rows.count + moreRows }

    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// The cell of `column` in row `row`, nil when empty or absent.
    public func value(_ column: String, row: Int = 0) -> String? {
        guard let index = self.column(column), row < rows.count else { return nil }
        return rows[row][index]
    }

    public func number(_ column: String, row: Int = 0) -> Double? { value(column, row: row).flatMap(Double.init) }

    /// The same rows with only `names` (those it has), in that order.
    public func selecting(_ names: [String]) -> Dataset {
        let indices = names.compactMap(column)
        return Dataset(name: name, columns: indices.map { columns[$0] }, rows: rows.map { row in indices.map { row[$0] } }, moreRows: moreRows)
    }
}
