import CalltrailCore
import CalltrailReports
import CalltrailStore
import Foundation

/// The full report (every dataset, CSV and HTML) for one month; peers: the sqlite3 shell running the
/// same queries/*.sql files alone, and pandas computing the headline datasets from the calls table.
enum ReportBenchmark {
    struct Month {
        var parameters: ReportParameters

        init(start: Date, days: Int = 30) {
            parameters = ReportParameters(from: start, to: start.addingTimeInterval(Double(days) * 86_400), timeZone: BenchmarkData.zone,
                                          compare: .none)
        }
    }

    static func calltrail(database: URL, month: Month, output: URL) async throws -> (seconds: Double, offered: Int) {
        let store = try CallStore(path: database.path)
        try await store.ensureTimeZone(BenchmarkData.zone)  // once per zone, outside the timing
        var offered = 0
        let seconds = try await Measure.seconds {
            let report = try await ReportPipeline(store: store).render(month.parameters, into: output)
            offered = Int(report.datasets["summary"]?.rows.first?.first.flatMap { $0 } ?? "") ?? 0
        }
        return (seconds, offered)
    }

    static func sqliteShell(database: URL, month: Month, queries: URL) throws -> Double? {
        guard Measure.available("sqlite3") else { return nil }
        let parameters = month.parameters
        var script = """
            .param set :from '\(parameters.iso(parameters.from))'
            .param set :to '\(parameters.iso(parameters.to))'
            .param set :tz '\(parameters.timeZone.identifier)'
            .param set :threshold \(parameters.threshold)
            .param set :short_abandon \(parameters.shortAbandon)
            .param set :interval \(parameters.interval)
            .param set :queues NULL
            .output /dev/null

            """
        for name in QueryCatalog.names { script += ".read \(queries.appendingPathComponent(name + ".sql").path)\n" }
        return try Measure.run(["sqlite3", database.path], input: script).seconds
    }

    /// The seconds pandas_report.py reports for itself (load, compute, write), nil without pandas.
    static func pandas(database: URL, month: Month, script: URL, output: URL) throws -> Double? {
        guard FileManager.default.fileExists(atPath: script.path),
              (try? Measure.run(["python3", "-c", "import pandas"]).status) == 0 else { return nil }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let parameters = month.parameters
        let result = try Measure.run(["python3", script.path, database.path, parameters.iso(parameters.from), parameters.iso(parameters.to),
                                      parameters.timeZone.identifier, String(parameters.threshold), String(parameters.shortAbandon),
                                      String(parameters.interval), output.path])
        guard result.status == 0 else { throw BenchError("pandas_report.py failed (exit \(result.status))") }
        return Double(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
