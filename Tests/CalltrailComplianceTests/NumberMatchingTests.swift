import CalltrailCore
@_spi(Connections) import CalltrailStore
import CalltrailTestSupport
import Foundation
import GRDB
import Testing

/// Numbers compared as numbers: one normalizer to E.164 under `[compliance] country_code` and
/// `trunk_prefix`, exact matches, and a given number that is no number refused before anything changes.
@Suite struct NumberPlanTests {
    @Test func theFourCountriesOfTheREADME() throws {
        let uruguay = NumberPlan(countryCode: "598", trunkPrefix: "0")
        for given in ["099 123 456", "099123456", "+598 99 123 456", "0059899123456", "59899123456", "99123456", "(099) 123-456"] {
            #expect(try uruguay.normalize(given: given) == "+59899123456", "\(given)")
        }
        let spain = NumberPlan(countryCode: "34", trunkPrefix: "")
        for given in ["612 345 678", "+34 612 345 678", "0034612345678", "34612345678"] {
            #expect(try spain.normalize(given: given) == "+34612345678", "\(given)")
        }
        let china = NumberPlan(countryCode: "86", trunkPrefix: "0")
        #expect(try china.normalize(given: "138 1234 5678") == "+8613812345678")
        #expect(try china.normalize(given: "021 6000 1000") == "+862160001000")
        #expect(try china.normalize(given: "+86 21 6000 1000") == "+862160001000")
        let us = NumberPlan(countryCode: "1", trunkPrefix: "1")
        for given in ["(555) 010-0199", "1 555 010 0199", "+1 555 010 0199", "011 1 555 010 0199"] {
            #expect(try us.normalize(given: given) == "+15550100199", "\(given)")
        }
        // Another country's number in international form stays that country's.
        #expect(try uruguay.normalize(given: "+34 612 345 678") == "+34612345678")
        #expect(try us.normalize(given: "011 598 99 123 456") == "+59899123456")
    }

    @Test func whatIsNoNumberIsRefusedWithWhy() throws {
        let uruguay = NumberPlan(countryCode: "598", trunkPrefix: "0")
        for given in ["034827", "123456", "1001", "+59812", "anonymous", "099-123-456 ext 2", "", "+0598991234567", "+1234567890123456"] {
            #expect(throws: NumberPlan.Invalid.self, "\(given)") { try uruguay.normalize(given: given) }
            #expect(uruguay.normalize(stored: given) == nil)
        }
        // Without a country, only the international form is a number.
        #expect(throws: NumberPlan.Invalid.self) { try NumberPlan().normalize(given: "099123456") }
        #expect(try NumberPlan().normalize(given: "+598 99 123 456") == "+59899123456")
        let error = #expect(throws: NumberPlan.Invalid.self) { try uruguay.normalize(given: "034827") }
        #expect(error?.description.contains("at least 7 digits after the trunk prefix") == true, "\(error?.description ?? "")")
    }

    @Test func theSettingsAreCheckedWhereTheyAreRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func load(_ compliance: String) throws -> CalltrailCore.Configuration {
            let file = folder.appendingPathComponent("calltrail.toml")
            try """
                database = "c.sqlite"
                timezone = "America/Montevideo"
                [[source]]
                kind = "ucontact"
                base_url = "https://ucontact.example.com"
                user = "supervisor"
                password_env = "HOME"
                [compliance]
                \(compliance)
                """.write(to: file, atomically: true, encoding: .utf8)
            return try CalltrailCore.Configuration.load(path: file.path)
        }
        #expect(try load("country_code = \"34\"").compliance.numberPlan == NumberPlan(countryCode: "34", trunkPrefix: ""))
        #expect(try load("country_code = \"34\"\ntrunk_prefix = \"\"").compliance.numberPlan == NumberPlan(countryCode: "34", trunkPrefix: ""))
        #expect(try load("country_code = \"1\"\ntrunk_prefix = \"1\"").compliance.numberPlan == NumberPlan(countryCode: "1", trunkPrefix: "1"))
        for (bad, names) in [("country_code = \"+598\"", "country_code"), ("country_code = 598", "country_code"),
                             ("country_code = \"598\"\ntrunk_prefix = 0", "trunk_prefix"), ("trunk_prefix = \"0\"", "trunk_prefix"),
                             ("countrycode = \"598\"", "countrycode")] {
            let error = #expect(throws: CalltrailError.self, "\(bad)") { try load(bad) }
            #expect("\(error.map { "\($0)" } ?? "")".contains(names), "\(bad): \(error.map { "\($0)" } ?? "")")
        }
    }
}

extension ComplianceTests {
    @Test(.timeLimit(.minutes(3)))
    func sixDigitsThatEndTwoCustomersNumbersAreRefusedAndNothingChanges() async throws {
        let setup = try await setUp("six-digits", retention: "")
        do {
            try await sync(setup)
            // Two customers whose numbers end alike: the second one's last six digits made the first one's.
            let numbers = try await ids(setup.store, "SELECT DISTINCT customer_number FROM calls WHERE customer_number IS NOT NULL ORDER BY 1 LIMIT 2")
            #expect(numbers.count == 2)
            let sibling = (numbers[0].hasPrefix("098") ? "097" : "098") + String(numbers[0].suffix(6))
            try await setup.store.write { db in
                try db.execute(sql: "UPDATE calls SET customer_number = ? WHERE customer_number = ?", arguments: [sibling, numbers[1]])
            }
            let before = try await ids(setup.store, "SELECT coalesce(customer_number, '-') FROM calls ORDER BY rowid")
            let suffix = String(numbers[0].suffix(6))
            let result = try await binary(setup, ["erase", "--number", suffix])
            #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains("--number \"\(suffix)\" is not a telephone number"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            #expect(try await ids(setup.store, "SELECT coalesce(customer_number, '-') FROM calls ORDER BY rowid") == before, "nothing erased")
            #expect(try await SyncHarness.count(setup.store, "SELECT count(*) FROM erasures") == 0)
            #expect(try await setup.store.auditLog().isEmpty)
            for command in [["hold", "add", "--case", "S", "--number", suffix, "--reason", "r"], ["recordings", "pull", "--number", suffix, "--out", setup.harness.folder.appendingPathComponent("refused").path],
                            ["recordings", "fetch", "--number", suffix]] {
                let refused = try await binary(setup, command)
                #expect(refused.status == 2 && refused.stderr.contains("is not a telephone number"), "\(command): \(refused.status) \(refused.stderr)")
            }
            // The whole number erases that customer alone.
            let whole = try await binary(setup, ["erase", "--number", numbers[0]])
            #expect(whole.status == 0, "\(whole.stderr)")
            #expect(try await ids(setup.store, "SELECT DISTINCT customer_number FROM calls WHERE customer_number IN (?, ?)", [numbers[0], sibling]) == [sibling])
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func aHoldInNationalFormKeepsTheCallsStoredInInternationalForm() async throws {
        let setup = try await setUp("national-hold", retention: "[retention]\nrecordings_days = 30\n")
        do {
            try await sync(setup)
            let customer = try #require(try await customersWithRecordings(setup).first)
            try await fetch(setup, customer.calls)
            // The vendor stored this customer in international form, spaced; the officer types the national one.
            let international = "+598 " + customer.number.dropFirst()
            try await setup.store.write { db in
                try db.execute(sql: "UPDATE calls SET customer_number = ? WHERE customer_number = ?", arguments: [international, customer.number])
            }
            var result = try await binary(setup, ["hold", "add", "--case", "N", "--number", customer.number, "--reason", "dispute"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("covers \(customer.calls.count) calls"), "\(result.stdout)")
            let stored = try await ids(setup.store, "SELECT call_id FROM recordings WHERE state IN ('found', 'converted') AND call_id IN (\(customer.calls.map { "'\($0)'" }.joined(separator: ",")))")
            #expect(!stored.isEmpty)
            result = try await binary(setup, ["recordings", "purge"])
            #expect(result.status == 0, "\(result.stderr)")
            for id in stored { #expect(FileManager.default.fileExists(atPath: try #require(try await file(setup, id)).path), "held: \(id)") }
            result = try await binary(setup, ["erase", "--number", customer.number])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(customer.calls.count) calls of the number are under legal hold (case N)"), "\(result.stderr)")
            #expect(try await ids(setup.store, "SELECT call_id FROM calls WHERE customer_number = ?", [international]).count == customer.calls.count)
        } catch {
            await setup.harness.stop()
            throw error
        }
        await setup.harness.stop()
    }
}
