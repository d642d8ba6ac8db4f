import CalltrailCore
import CalltrailReports
import Foundation
import Logging
import PostgresNIO

/// `calltrail report --from-warehouse`: the report's datasets from the warehouse's functions
/// (Sources/CalltrailWarehouse/postgres/), over every site or one, and its typed figures from the functions' typed
/// tallies, so the page and the staffing view work from the same unrounded numbers as a SQLite report.
public struct WarehouseReport: Sendable {
    public let query: WarehouseQuery

    public init(connection: PostgresConnection, logger: Logger) {
        query = WarehouseQuery(connection: connection, logger: logger)
    }

    /// Opens the warehouse, brings its functions to this binary's (the columns follow the report's), and
    /// reads the report over `readers` connections at once: each dataset is a scan of the period of its
    /// own, and the server runs one per core.
    /// `listings`: the calls listing too (calls.csv), for a definition that drills down to it.
    public static func report(_ parameters: ReportParameters, site: String?, warehouse: WarehouseConfiguration, insecure: Bool,
                              logger: Logger, readers: Int = 2, listings: Bool = false) async throws -> (datasets: [String: Dataset], figures: ReportFigures) {
        var connections: [PostgresConnection] = []
        do {
            for _ in 0..<max(1, readers) { connections.append(try await WarehouseConnection.open(warehouse, insecure: insecure, logger: logger)) }
            try await WarehouseSchema.ensure(connections[0], logger: logger)
            let reports = connections.map { WarehouseReport(connection: $0, logger: logger) }
            let names = QueryCatalog.names + (listings ? QueryCatalog.listings : [])
            let report = try await withThrowingTaskGroup(of: ([String: Dataset], ReportFigures?).self) { group in
                for (index, reader) in reports.enumerated() {
                    group.addTask {
                        var datasets: [String: Dataset] = [:]
                        for (position, name) in names.enumerated() where position % reports.count == index {
                            datasets[name] = try await reader.query.dataset(name, parameters, site: site)
                        }
                        return (datasets, index == reports.count - 1 ? try await reader.figures(parameters, site: site) : nil)
                    }
                }
                var datasets: [String: Dataset] = [:]
                var figures = ReportFigures()
                for try await (part, partFigures) in group {
                    datasets.merge(part) { a, _ in a }
                    if let partFigures { figures = partFigures }
                }
                return (datasets, figures)
            }
            for connection in connections { try? await connection.close() }
            return report
        } catch {
            for connection in connections { try? await connection.close() }
            if let error = error as? CalltrailError { throw error }
            throw CalltrailError.failure("reading the report from \(warehouse.address) failed (\(WarehouseConnection.describe(error))): check [warehouse] and that `calltrail publish` has run")
        }
    }

    func figures(_ parameters: ReportParameters, site: String?) async throws -> ReportFigures {
        var figures = ReportFigures()
        figures.headline = try await headline(parameters, site: site)
        if let range = parameters.comparisonRange {
            var before = parameters
            (before.from, before.to) = (range.from, range.to)
            figures.comparison = .init(label: range.label, from: range.from, to: range.to, headline: try await headline(before, site: site))
        }
        if let range = parameters.trendRange {
            var trend = parameters
            (trend.from, trend.to) = (range.from, range.to)
            let days = try await query.typed("day_tallies", trend, site: site,
                                             columns: "day, offered, answered, abandoned, short_abandoned, answered_in_t, abandoned_in_t, aht",
                                             orderedBy: "day", as: (String, Int64, Int64, Int64, Int64, Int64, Int64, Double?).self)
            for d in days {
                let counts = InboundCounts(offered: Int(d.1), answered: Int(d.2), abandoned: Int(d.3), shortAbandoned: Int(d.4),
                                           answeredInT: Int(d.5), abandonedInT: Int(d.6))
                figures.trend.append(ReportFigures.TrendDay(day: d.0, counts, aht: d.7))
            }
        }
        figures.intervals = try await query.typed("interval_tallies", parameters, site: site,
                                                  columns: "interval_start, offered, short_abandoned, answered_in_t, aht", orderedBy: "start_s",
                                                  as: (String, Int64, Int64, Int64, Double?).self).map { i in
            ReportFigures.Interval(start: i.0, InboundCounts(offered: Int(i.1), shortAbandoned: Int(i.2), answeredInT: Int(i.3)), aht: i.4)
        }
        figures.hours = try await query.typed("by_hour", parameters, site: site, columns: "hour, offered, answered, abandoned", orderedBy: "hour",
                                              as: (Int32, Int64, Int64, Int64).self).map { h in
            ReportFigures.Hour(hour: Int(h.0), offered: Int(h.1), answered: Int(h.2), abandoned: Int(h.3))
        }
        figures.waits = try await query.typed("wait_distribution", parameters, site: site,
                                              columns: "wait_bucket_s, answered, abandoned", orderedBy: "low_s",
                                              as: (String, Int64, Int64).self).map { w in
            ReportFigures.WaitBucket(label: w.0, answered: Int(w.1), abandoned: Int(w.2))
        }
        figures.mappingChecks = try await query.typed("mapping_check_tallies", parameters, site: site,
                                                      columns: "name, source_label, failed, calls, meaning",
                                                      as: (String, String, Int64, Int64, String).self).map { m in
            ReportFigures.MappingCheckCount(name: m.0, source: m.1, failed: Int(m.2), calls: Int(m.3), meaning: m.4)
        }
        return figures
    }

    /// The headline's counts and unrounded means over the parameters' period.
    func headline(_ parameters: ReportParameters, site: String?) async throws -> ReportFigures.Headline {
        let rows = try await query.typed("summary_tallies", parameters, site: site,
                                         columns: "offered, answered, abandoned, short_abandoned, answered_in_t, abandoned_in_t, asa, aht",
                                         as: (Int64, Int64, Int64, Int64, Int64, Int64, Double?, Double?).self)
        guard let h = rows.first else { return .init(InboundCounts(), asa: nil, aht: nil) }
        return .init(InboundCounts(offered: Int(h.0), answered: Int(h.1), abandoned: Int(h.2), shortAbandoned: Int(h.3),
                                   answeredInT: Int(h.4), abandonedInT: Int(h.5)), asa: h.6, aht: h.7)
    }
}
