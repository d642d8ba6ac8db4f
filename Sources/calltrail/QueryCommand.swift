import ArgumentParser
import CalltrailCore
import CalltrailReports
import CalltrailStore
import Foundation

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print one report dataset (queries/NAME.sql) as CSV.",
        discussion: "Datasets: \(QueryCatalog.names.joined(separator: ", ")); listing: \(QueryCatalog.listings.joined(separator: ", ")). --param NAME=VALUE sets any named parameter of the SQL."
    )

    @Argument(help: "The dataset.")
    var name: String

    @OptionGroup var options: ReportOptions

    @Option(name: .customLong("param"), help: "A named parameter of the query as NAME=VALUE; repeatable.")
    var params: [String] = []

    func validate() throws {
        if let unknown = QueryCatalog.unknown(name) { throw ValidationError(unknown) }
        for param in params where !param.contains("=") {
            throw ValidationError("--param '\(param)' has no '=': write it as NAME=VALUE")
        }
    }

    func run() async throws {
        let configuration = try Configuration.load(path: options.config)
        let parameters = try options.parameters(configuration)
        let store = try CallStore(path: configuration.databasePath)
        var overrides: [String: QueryValue] = [:]
        for param in params {
            let parts = param.split(separator: "=", maxSplits: 1).map(String.init)
            let value = parts.count > 1 ? parts[1] : ""
            overrides[parts[0]] = Int(value).map(QueryValue.integer) ?? Double(value).map(QueryValue.real) ?? .text(value)
        }
        let dataset = try await QueryRunner(store: store).run(name, parameters: parameters, overrides: overrides)
        print(CSVWriter.render(dataset), terminator: "")
    }
}
