import CalltrailCore
import Foundation

/// The mapping checks that more than MappingCheck.warningShare of a source's calls in the period
/// broke: named in the report's header and in the nightly JSON line, so that a misreading of a
/// vendor's fields shows the first night instead of skewing the figures silently.
public enum MappingCheckWarnings {
    public static func of(_ checks: [ReportFigures.MappingCheckCount]) -> [String] {
        checks.compactMap { check in
            guard check.calls > 0 else { return nil }
            let share = Double(check.failed) / Double(check.calls)
            guard share > MappingCheck.warningShare else { return nil }
            return "\(check.source): mapping check \(check.name) broken by \(String(format: "%.1f", share * 100)) % of its calls in the period (\(check.failed)); see data_quality and docs/VENDORS.md"
        }
    }
}
