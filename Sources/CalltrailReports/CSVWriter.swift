import CalltrailCore

/// A dataset as CSV (the rules are `CSV`'s: RFC 4180, formula-looking cells made inert).
public enum CSVWriter {
    public static func render(_ dataset: Dataset) -> String {
        CSV.render(header: dataset.columns, rows: dataset.rows)
    }
}
