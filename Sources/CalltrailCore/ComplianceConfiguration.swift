import Foundation

/// `[compliance]`: the key of the keyed hashes and of the audit chain (created 0600 on first use
/// when absent), the file the audit chain's head is appended to, and the center's numbering settings
/// every number match goes through (NumberPlan).
public struct ComplianceConfiguration: Sendable, Equatable {
    public var keyFile: String
    /// Where each audit write appends the chain's head; nil: `<database>.audit-anchor` beside the database.
    public var anchorFile: String?
    public var numberPlan: NumberPlan

    public init(keyFile: String, anchorFile: String? = nil, numberPlan: NumberPlan = NumberPlan()) {
        self.keyFile = keyFile
        self.anchorFile = anchorFile
        self.numberPlan = numberPlan
    }

    static let keys: Set<String> = ["key_file", "anchor_file", "country_code", "trunk_prefix"]

    init(reading reader: TableReader) throws {
        for key in reader.keys where !Self.keys.contains(key) {
            throw CalltrailError.configuration("\(reader.context) has no key \(key): use key_file, anchor_file, country_code or trunk_prefix (README, Configuration)")
        }
        keyFile = try reader.path("key_file", default: "calltrail.key")
        anchorFile = reader.has("anchor_file") ? try reader.path("anchor_file", default: "") : nil
        var plan = NumberPlan()
        if let code = try reader.optionalString("country_code") {
            guard (1...3).contains(code.count), code.allSatisfy(\.isASCIIDigit), code.first != "0" else {
                throw CalltrailError.configuration("\(reader.context): country_code \(code.debugDescription) is not a country calling code: write its 1 to 3 digits, e.g. country_code = \"598\" (Uruguay)")
            }
            plan.countryCode = code
        }
        if reader.has("trunk_prefix") {
            guard let trunk = reader.table["trunk_prefix"]?.string, trunk.count <= 2, trunk.allSatisfy(\.isASCIIDigit) else {
                throw CalltrailError.configuration("\(reader.context): trunk_prefix must be the national prefix's digits as a string: write trunk_prefix = \"0\" (or \"\" where there is none)")
            }
            guard plan.countryCode != nil || trunk.isEmpty else {
                throw CalltrailError.configuration("\(reader.context) sets trunk_prefix without country_code: add country_code = \"598\" (your country's calling code)")
            }
            plan.trunkPrefix = trunk
        }
        numberPlan = plan
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}

extension Configuration {
    /// The audit anchor: `[compliance] anchor_file`, or `<database>.audit-anchor` beside the database.
    public var auditAnchorPath: String { compliance.anchorFile ?? databasePath + ".audit-anchor" }
}
