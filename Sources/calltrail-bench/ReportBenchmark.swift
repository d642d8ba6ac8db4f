import CalltrailCore
import CalltrailReports
import CalltrailStore
import Foundation

/// The full report (every dataset, CSV and HTML) for one month; peer: the sqlite3 shell running the
/// same queries/*.sql files alone.
enum ReportBenchmark {
    static func calltrail(database: URL, month start: Date, output: URL) async throws -> Double {
        let store = try CallStore(path: database.path)
        let parameters = ReportParameters(from: start, to: start.addingTimeInterval(30 * 86_400), timeZone: BenchmarkData.zone)
        try await store.ensureTimeZone(BenchmarkData.zone)  // once per zone, outside the timing
        return try await Measure.seconds {
            _ = try await ReportPipeline(store: store).render(parameters, into: output)
        }
    }

    static func sqliteShell(database: URL, month start: Date, queries: URL) throws -> Double? {
        guard Measure.available("sqlite3") else { return nil }
        let parameters = ReportParameters(from: start, to: start.addingTimeInterval(30 * 86_400), timeZone: BenchmarkData.zone)
        var script = """
            .param set :from '\(parameters.iso(parameters.from))'
            .param set :to '\(parameters.iso(parameters.to))'
            .param set :tz 'America/Montevideo'
            .param set :threshold 20
            .param set :short_abandon 5
            .param set :interval 30
            .param set :queues NULL
            .output /dev/null

            """
        for name in QueryCatalog.names { script += ".read \(queries.appendingPathComponent(name + ".sql").path)\n" }
        return try Measure.run(["sqlite3", database.path], input: script).seconds
    }
}
