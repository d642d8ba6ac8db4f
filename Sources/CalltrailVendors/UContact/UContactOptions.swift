import CalltrailCore
import Foundation

/// uContact's own `[[source]]` keys.
public struct UContactOptions: SourceOptions {
    /// Vendor field renames: CallRecord field → the vendor's key (`customer_number = "cliente"`).
    public var fieldNames: [String: String] = [:]
    /// The recording servers (`{telephony}/records/...`); no recordings are fetched without them.
    public var telephonyRecordsURL: URL?
    public var backupRecordsURL: URL?
    /// Ask the platform's `Supervisor/convert` to turn a GSM recording into MP3 before converting here.
    public var convertOnServer = true
    /// Campaigns whose `Supervisor/campaignstatus` is stored at each sync beside those seen in the
    /// period's calls.
    public var campaigns: [String] = []
    /// getrecords' `filter` keys this source sets (UContactFilter): a filtered source is a source of
    /// its own, with its own name, cursor and rows.
    public var filter = UContactFilter()

    public init() {}

    static let keys = ["fields", "telephony_records_url", "backup_records_url", "convert_on_server", "campaigns", "filter"]

    init(reading reader: TableReader) throws {
        fieldNames = try reader.stringMap("fields")
        telephonyRecordsURL = try reader.optionalURL("telephony_records_url", example: "https://telephony.example.com")
        backupRecordsURL = try reader.optionalURL("backup_records_url", example: "https://backup.example.com")
        convertOnServer = try reader.bool("convert_on_server", default: true)
        campaigns = try reader.stringList("campaigns", example: "Ventas<-")
        filter = try UContactFilter(reading: reader.table("filter", example: "{ campaign = \"Ventas->\" }"))
    }
}
