import CalltrailCore
import CalltrailHTTP
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import Foundation
import Logging

/// uContact's Integra API: a session token from `auth/getUserToken`, `Cdr/getrecords` paged by
/// `lastrow`/`searchLimit` with a JSON `filter`, `auth/EndSession` at the end.
public final class UContactSource: RecordSource, SupplementarySource {
    public let name: String
    public let endpoint = "Cdr/getrecords"
    let configuration: SourceConfiguration
    let options: UContactOptions
    let session: UContactSession
    let mapper: UContactRecordMapper
    let logger: Logger

    public init(configuration: SourceConfiguration, password: Secret, fetcher: HTTPFetcher, logger: Logger) {
        self.name = configuration.name
        self.configuration = configuration
        self.options = configuration.options(as: UContactOptions.self)
        self.session = UContactSession(source: configuration, password: password, fetcher: fetcher, logger: logger)
        self.mapper = UContactRecordMapper(source: configuration.name, timeZone: configuration.timeZone, renames: options.fieldNames)
        self.logger = logger
    }

    public func open() async throws { try await session.open() }

    public func close() async { await session.close() }

    /// The `filter` object of getrecords for a window, with the source's own filter keys.
    /// `calldatef` is inclusive to the second, so the window's open end becomes its last second.
    func filter(for window: DateInterval) -> String {
        let from = LocalDateTime(window.start, in: configuration.timeZone)
        let to = LocalDateTime(window.end.addingTimeInterval(-1), in: configuration.timeZone)
        let object = options.filter.object(from: from, to: to)
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    public func page(window: DateInterval, offset: Int, limit: Int) async throws -> SourcePage {
        let fields = [("lastrow", String(offset)), ("searchLimit", String(limit)), ("filter", filter(for: window)), ("Random", "1")]
        // An expired session shows as 401 or as the body `0`: the session logs in again, once.
        let response = try await session.postRenewing("Cdr/getrecords", fields)
        let target = session.url("Cdr/getrecords")
        if response.status == 401 || response.status == 403 {
            throw SourceError.rejectedCredentials(source: name, user: configuration.user, detail: "getrecords answered HTTP \(response.status) after a new login")
        }
        guard response.status == 200 else {
            throw SourceError.status(source: name, url: target, code: response.status, body: response.text.oneLine())
        }
        return try SourcePage(listing: response, source: name, url: target, decode: mapper.decode)
    }

    /// A `Supervisor/campaignstatus` snapshot of each campaign seen in the synced period's calls and
    /// each configured in `campaigns`, one request per campaign (seed 003 documents `queue` as one
    /// campaign's name, `CampTest2<-`), stored per campaign so reports can set the platform's service
    /// level beside Calltrail's. A campaign whose snapshot fails is a warning: the figure is optional.
    public func syncSupplements(into store: CallStore, period: DateInterval?) async -> [String] {
        let target = session.url("Supervisor/campaignstatus")
        let seen: [String]
        do {
            seen = try await store.queues(source: name, during: period ?? DateInterval(start: Date().addingTimeInterval(-86_400), end: Date()))
        } catch {
            return ["campaignstatus not asked: the period's campaigns could not be read (\(error))"]
        }
        let campaigns = Array(Set(seen + options.campaigns)).sorted()
        var stats: [PlatformStat] = []
        var warnings: [String] = []
        for campaign in campaigns {
            do {
                let response = try await session.postRenewing("Supervisor/campaignstatus", [("queue", campaign)])
                guard response.status == 200 else {
                    throw SourceError.status(source: name, url: target, code: response.status, body: response.text.oneLine())
                }
                guard !UContactSession.isZero(response) else {
                    warnings.append("campaignstatus for campaign '\(campaign)' answered 0 (uContact's failure): no platform figure for it")
                    continue
                }
                guard case .object(let entries)? = try? JSONValue.parse(Data(response.body.readableBytesView)) else {
                    throw SourceError.protocolViolation(source: name, url: target, detail: "a body that is not a JSON object (\(response.text.oneLine(limit: 40)))")
                }
                stats += try Self.stats(entries, source: name, takenAt: Date())
            } catch let error as SourceError {
                warnings.append("campaignstatus for campaign '\(campaign)': \(error.calltrailError.message)")
            } catch {
                warnings.append("campaignstatus for campaign '\(campaign)': \(error)")
            }
        }
        do {
            try await store.savePlatformStats(stats)
        } catch {
            warnings.append("campaignstatus snapshots not stored: \(error)")
        }
        return warnings
    }

    /// The campaign entries of a campaignstatus answer: agents and ACD calls share the object, and
    /// campaigns are the entries with a `campaign` or `servicelevel` field.
    /// A count that fails its check fails the campaign's snapshot (a warning), never the run.
    static func stats(_ entries: JSONObject, source: String, takenAt: Date) throws -> [PlatformStat] {
        try entries.dictionary.sorted(by: { $0.key < $1.key }).compactMap { key, value in
            guard case .object = value, value["campaign"] != nil || value["servicelevel"] != nil else { return nil }
            let payload = (try? JSONSerialization.data(withJSONObject: value.foundationObject, options: [.sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return PlatformStat(
                source: source, campaign: value["campaign"]?.text ?? key, takenAt: takenAt,
                completed: try value["completed"].count(field: "completed"), abandoned: try value["abandoned"].count(field: "abandoned"),
                servicelevel: value["servicelevel"]?.number, servicelevel2: value["servicelevel2"]?.number,
                slevelthreshold: value["slevelthreshold"]?.number, abandonedlevel: value["abandonedlevel"]?.number,
                payload: payload)
        }
    }
}
