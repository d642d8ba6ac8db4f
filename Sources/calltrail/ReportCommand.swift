import ArgumentParser
import CalltrailCore
import CalltrailReports
import CalltrailStore
import CalltrailWarehouse
import Foundation

/// The options `report` and `query` share: the period and docs/METRICS.md's parameters.
struct ReportOptions: ParsableArguments {
    @Option(help: "Configuration file.")
    var config = Configuration.defaultPath

    @OptionGroup var range: RangeOptions

    @Option(help: "Interval length in minutes: 15, 30 or 60.")
    var interval = 30

    @Option(name: .customLong("sl-threshold"), help: "T: seconds within which an answered call is in service level (inclusive).")
    var slThreshold = 20.0

    @Option(name: .customLong("short-abandon"), help: "S: abandons that waited less than this many seconds are short abandons.")
    var shortAbandon = 5.0

    @Option(name: .customLong("sl-target"), help: "Service-level target, percent, for the cards and the Erlang C staffing view.")
    var slTarget = 80.0

    @Option(name: .customLong("queue"), help: "Only this queue (campaign); repeatable.")
    var queues: [String] = []

    @Option(help: "Time zone of the report (IANA name). Default: the configuration's timezone.")
    var tz: String?

    @Option(help: ArgumentHelp("A calendar period on the center's clock: day, week (ISO, Monday to Sunday), month or year.",
                               discussion: "The one holding --from; without --from the last complete one. Not with --to."))
    var period: ReportPeriod?

    @Option(help: "What the headline stands beside: previous (the period before), week (a week before; for a day the same weekday) or none.")
    var compare: ReportComparison = .previous

    func validate() throws {
        guard [15, 30, 60].contains(interval) else { throw ValidationError("--interval \(interval) is not 15, 30 or 60: pick one of them") }
        guard slThreshold >= 0, slThreshold <= 3600 else { throw ValidationError("--sl-threshold \(slThreshold) is out of range: use 0 to 3600 seconds") }
        guard shortAbandon >= 0, shortAbandon <= 600 else { throw ValidationError("--short-abandon \(shortAbandon) is out of range: use 0 to 600 seconds") }
        guard slTarget > 0, slTarget < 100 else { throw ValidationError("--sl-target \(slTarget) is out of range: use a percent between 0 and 100") }
        if period != nil, range.to != nil {
            throw ValidationError("--period \(period!.rawValue) sets the end itself: drop --to, or drop --period for a range of your own")
        }
        if let tz, TimeZone(identifier: tz) == nil {
            throw ValidationError("--tz '\(tz)' is not an IANA time zone: use a name such as America/Montevideo")
        }
    }

    /// The parameters in the report's zone; the default period is yesterday on that clock.
    func parameters(_ configuration: Configuration) throws -> ReportParameters {
        let zone = tz.flatMap(TimeZone.init(identifier:)) ?? configuration.timeZone
        let (from, to) = try range.resolve(in: zone)
        if let period {
            let bounds = from.map { period.bounds(containing: $0, in: zone) } ?? period.lastComplete(before: Date(), in: zone)
            return ReportParameters(from: bounds.from, to: bounds.to, timeZone: zone, interval: interval, threshold: slThreshold,
                                    shortAbandon: shortAbandon, target: slTarget / 100, queues: queues, period: period, compare: compare)
        }
        // The figures are summed from 15-minute tallies: a period cut inside one cannot be told apart.
        for (option, text, instant) in [("--from", range.from, from), ("--to", range.to, to)] {
            if let text, let instant, instant.timeIntervalSince1970.truncatingRemainder(dividingBy: 900) != 0 {
                throw CalltrailError.configuration("\(option) \(text) is not on a quarter hour: reports start and end at :00, :15, :30 or :45 (their figures are summed from 15-minute interval tallies)")
            }
        }
        let (yesterday, today) = ReportParameters.yesterday(in: zone)
        let start = from ?? (to.map { $0.addingTimeInterval(-86_400) } ?? yesterday)
        let end = to ?? (from.map { $0.addingTimeInterval(86_400) } ?? today)
        guard start < end else {
            throw CalltrailError.configuration("--from is not before the end of the report period: give --to as well")
        }
        // Midnight to midnight of one day is the day period: it compares with the day before.
        let oneDay = ReportPeriod.day.bounds(containing: start, in: zone) == (start, end)
        return ReportParameters(from: start, to: end, timeZone: zone, interval: interval, threshold: slThreshold,
                                shortAbandon: shortAbandon, target: slTarget / 100, queues: queues, period: oneDay ? .day : nil,
                                compare: compare)
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render the report for --from/--to (default: yesterday) as CSV files and report.html.",
        discussion: """
            One CSV per dataset (queries/NAME.sql) and one self-contained report.html, in --out
            (default: reports/FROM_TO). Figures follow docs/METRICS.md: service level V5 with T inclusive,
            short abandons excluded, intervals on the center's clock.
            """
    )

    @OptionGroup var options: ReportOptions

    @Option(help: "Folder for the CSV files and report.html.")
    var out: String?

    @Option(help: "csv, html or both.")
    var format: String = "both"

    @Option(help: ArgumentHelp("A report definition (TOML): its sections, titles, charts, template and queries of its own.",
                               discussion: "Default: the built-in reports/daily.toml up to a week, reports/monthly.toml beyond. Copy one and edit it."))
    var definition: String?

    @Flag(name: .customLong("from-warehouse"),
          help: "Read the figures from the [warehouse] PostgreSQL server (every site, or --site) instead of this site's SQLite file.")
    var fromWarehouse = false

    @Option(help: "With --from-warehouse: only this site's rows (its [warehouse] site name). Default: every site.")
    var site: String?

    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard ReportFormat(rawValue: format) != nil else { throw ValidationError("--format '\(format)' is not csv, html or both: pick one") }
        if site != nil, !fromWarehouse { throw ValidationError("--site reads the warehouse: add --from-warehouse") }
    }

    func run() async throws {
        var configuration = try Configuration.load(path: options.config)
        tls.apply(to: &configuration)
        let parameters = try options.parameters(configuration)
        let folder = out.map { URL(fileURLWithPath: $0) } ?? Self.defaultFolder(parameters)
        let format = ReportFormat(rawValue: format)!
        let definition = try self.definition.map(ReportDefinition.load) ?? ReportDefinition.builtIn(for: parameters)
        let output: ReportOutput
        if fromWarehouse {
            if !definition.queries.isEmpty {
                throw CalltrailError.configuration(
                    "\(definition.name)'s own queries (\(definition.queries.keys.sorted().joined(separator: ", "))) read the SQLite file: drop --from-warehouse, or their `queries` line")
            }
            let warehouse = try WarehouseConfiguration.required(configuration)
            let sites = site.map { "site \($0)" } ?? "every site"
            let (datasets, figures) = try await WarehouseReport.report(parameters, site: site, warehouse: warehouse, insecure: configuration.insecureTLS,
                                                                        logger: logging.makeLogger("calltrail.report"), listings: definition.needsCalls)
            output = try ReportWriter(parameters: parameters, format: format, origin: "from the warehouse \(warehouse.address), \(sites)",
                                      definition: definition)
                .write(datasets: datasets, figures: figures, into: folder)
            print("from the warehouse \(warehouse.address), \(sites)")
        } else {
            let store = try CallStore(path: configuration.databasePath)
            output = try await ReportPipeline(store: store).render(parameters, into: folder, format: format, definition: definition)
        }
        let summary = output.datasets["summary"]!
        print("report \(parameters.iso(parameters.from)) – \(parameters.iso(parameters.to)): \(summary.value("offered") ?? "0") offered, service level \(summary.value("service_level") ?? "—"), abandon rate \(summary.value("abandon_rate") ?? "—")")
        print("\(output.files.count) files in \(folder.path)")
        if let html = output.html { print(html.path) }
    }

    static func defaultFolder(_ parameters: ReportParameters) -> URL {
        let from = LocalDateTime(parameters.from, in: parameters.timeZone)
        let to = LocalDateTime(parameters.to.addingTimeInterval(-1), in: parameters.timeZone)
        let name = from.compactDay == to.compactDay ? String(from.description.prefix(10)) : "\(from.description.prefix(10))_\(to.description.prefix(10))"
        return URL(fileURLWithPath: "reports").appendingPathComponent(name)
    }
}

extension ReportPeriod: ExpressibleByArgument {}
extension ReportComparison: ExpressibleByArgument {}
