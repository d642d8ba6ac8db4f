import Foundation

/// The report datasets: one `queries/NAME.sql` file each, shipped inside this module.
public enum QueryCatalog {
    /// In the order the report lists them.
    public static let names = [
        "summary", "by_interval", "by_queue_interval", "by_day", "by_week", "by_month", "by_hour", "by_queue", "by_agent", "by_number",
        "wait_distribution", "outbound", "abandoned_calls", "platform_comparison", "data_quality", "recording_coverage",
        "recording_verification",
    ]

    /// Listings of calls rather than figures: written beside the datasets when a report's definition
    /// drills down to them (a `drill` section), read from the SQLite file.
    public static let listings = ["calls"]

    /// Why `name` is not a query of the catalog, in one line naming those that are; nil when it is one.
    public static func unknown(_ name: String) -> String? {
        let all = names + listings
        return all.contains(name) ? nil : "query '\(name)' does not exist: use one of \(all.joined(separator: ", "))"
    }

    public static func sql(_ name: String) throws -> String {
        if let unknown = unknown(name) { throw QueryCatalogError(message: unknown) }
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql", subdirectory: "queries"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            throw QueryCatalogError(message: "queries/\(name).sql is missing from the installation: reinstall calltrail")
        }
        return text
    }
}

public struct QueryCatalogError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
