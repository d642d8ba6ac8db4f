import Foundation

/// `[recordings]`: where recordings are archived and how they are fetched.
public struct RecordingsConfiguration: Sendable {
    /// The archive: `folder/YYYY/MM/DD/<source>-<call_id>.mp3`.
    public var folder: String
    public var concurrency: Int
    /// Keep the GSM or WAV original beside the MP3 made from it.
    public var keepOriginal: Bool
    public var requestTimeout: TimeInterval
    /// A recording larger than this is refused.
    public var maxBytes: Int

    public init(folder: String, concurrency: Int = 8, keepOriginal: Bool = false, requestTimeout: TimeInterval = 120,
                maxBytes: Int = 2 << 30) {
        self.folder = folder
        self.concurrency = concurrency
        self.keepOriginal = keepOriginal
        self.requestTimeout = requestTimeout
        self.maxBytes = maxBytes
    }

    init(reading reader: TableReader) throws {
        self.init(
            folder: try reader.path("folder", default: "recordings"),
            concurrency: try reader.int("concurrency", default: 8, range: 1...64),
            keepOriginal: try reader.bool("keep_original", default: false),
            requestTimeout: try reader.double("timeout_seconds", default: 120, range: 1...3600),
            maxBytes: try reader.int("max_megabytes", default: 2048, range: 1...65_536) << 20
        )
    }
}
