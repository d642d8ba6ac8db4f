import CalltrailCore
import Foundation

/// The mapping checks that more than MappingCheck.warningShare of a source's calls in the period
/// broke, from data_quality: named in the report's header and in the nightly JSON line, so that a
/// misreading of a vendor's fields shows the first night instead of skewing the figures silently.
public enum MappingCheckWarnings {
    public static func of(_ dataQuality: Dataset?) -> [String] {
        guard let dataQuality,
              let name = dataQuality.columns.firstIndex(of: "check_name"), let source = dataQuality.columns.firstIndex(of: "source"),
              let count = dataQuality.columns.firstIndex(of: "count"), let share = dataQuality.columns.firstIndex(of: "share")
        else { return [] }
        return dataQuality.rows.compactMap { row in
            guard let rowSource = row[source], let text = row[share], let value = Double(text), value > MappingCheck.warningShare else { return nil }
            return "\(rowSource): mapping check \(row[name] ?? "") broken by \(String(format: "%.1f", value * 100)) % of its calls in the period (\(row[count] ?? "0")); see data_quality and docs/VENDORS.md"
        }
    }
}
