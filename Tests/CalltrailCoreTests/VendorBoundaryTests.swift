import Foundation
import Testing

/// Which vendor a source is, is known in the vendors' folders and the two registries only (issue #31):
/// a fifth vendor is a folder in `CalltrailVendors`, one in `CalltrailSimulator`, and a line in each
/// registry. Every Swift file under Sources/ elsewhere whose code (comments aside) names a vendor is
/// listed, unless `justified` says why it must.
@Suite struct VendorBoundaryTests {
    /// Folders of these names under these modules belong to one vendor.
    static let vendorFolders: Set<String> = ["CCAI", "Meiqia", "UContact", "Vonage"]
    static let vendorModules: Set<String> = ["CalltrailVendors", "CalltrailSimulator"]
    /// The two lists that name every vendor.
    static let registries: Set<String> = [
        "Sources/CalltrailVendors/Platforms.swift",
        "Sources/CalltrailSimulator/SimulatedVendors.swift",
    ]
    /// Files that name a vendor on purpose, with the reason. A file that stops naming one leaves the list.
    static let justified: [String: String] = [
        // The ingest and recordings benchmarks measure uContact's path on purpose, so that their figures
        // compare with BENCHMARKS.md's earlier ones and with the peers run on the same pages.
        "Sources/calltrail-bench/Dataset.swift": "the benchmark's pages are uContact getrecords pages, written by the simulator's encoder",
        "Sources/calltrail-bench/PageFileSource.swift": "the ingest benchmark decodes those pages with uContact's mapper",
        "Sources/calltrail-bench/IngestBenchmark.swift": "the ingest benchmark stores them under uContact's source and endpoint",
        "Sources/calltrail-bench/main.swift": "the ingest benchmark's heading says whose pages it reads",
        "Sources/calltrail-bench/RecordingsBenchmark.swift": "the recordings benchmark fetches from uContact's recording servers",
        // Text, not logic, in modules issue #31 leaves to their owner.
        "Sources/CalltrailStore/Schema.swift": "migrations are append-only and named: their names and SQL comments say which vendor's data a table was made for (v5: uContact's campaignstatus, #31 item 4)",
        "Sources/CalltrailWarehouse/WarehouseSchema.swift": "a SQL comment in the warehouse's schema says which vendor field a column comes from",
        "Sources/CalltrailReports/ReportFigures.swift": "a metric's definition, printed in the report, cites the vendor figure it matches",
        "Sources/CalltrailReports/Definition/EmbeddedReports.swift": "written by reports/embed.sh from reports/*.toml: the platform section's text names uContact's campaignstatus (#31 item 4)",
    ]

    /// Each Swift file under Sources/ outside a vendor folder whose code names a vendor, with its first such line.
    static func namingAVendor() throws -> [String: String] {
        var found: [String: String] = [:]
        for (path, lines) in try SourceTree.swiftFiles() {
            let parts = path.split(separator: "/").map(String.init)
            if parts.count > 3, vendorModules.contains(parts[1]), vendorFolders.contains(parts[2]) { continue }
            if let line = lines.first(where: { $0.contains(/(?i)ucontact|meiqia|ccai|vonage/) }) {
                found[path] = line.trimmingCharacters(in: .whitespaces)
            }
        }
        return found
    }

    @Test func noFileOutsideTheVendorFoldersNamesAVendor() throws {
        let found = try Self.namingAVendor()
        let unexpected = found.filter { !Self.registries.contains($0.key) && Self.justified[$0.key] == nil }
        let listed = unexpected.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
        if !unexpected.isEmpty { Issue.record("\(unexpected.count) files name a vendor outside its folder:\n\(listed)") }
        // A justification that no longer applies is dropped.
        let stale = Self.justified.keys.filter { found[$0] == nil }
        #expect(stale.isEmpty, "justified but naming no vendor any more: \(stale.sorted())")
        #expect(Self.registries.allSatisfy { found[$0] != nil }, "the registries name every vendor")
    }
}
