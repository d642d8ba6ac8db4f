import CalltrailCore
import CalltrailSimulator
import CalltrailVendors
import Foundation
import Testing

@Suite struct ConfigurationTests {
    let file = URL(fileURLWithPath: "/etc/calltrail/calltrail.toml")

    let valid = """
        database = "data/calltrail.sqlite"
        timezone = "America/Montevideo"

        [[source]]
        kind = "ucontact"
        base_url = "https://ucontact.example.com"
        user = "supervisor"
        password_env = "CALLTRAIL_UCONTACT_PASSWORD"
        page_size = 100
        fields = { source_number = "caller" }
        """

    func parseError(_ text: String) -> CalltrailError? {
        do {
            _ = try Configuration.parse(text, file: file)
            return nil
        } catch let error as CalltrailError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func readsAValidFile() throws {
        let configuration = try Configuration.parse(valid, file: file)
        #expect(configuration.databasePath == "/etc/calltrail/data/calltrail.sqlite")
        #expect(configuration.timeZone.identifier == "America/Montevideo")
        let source = try #require(configuration.sources.first)
        #expect(source.name == "ucontact")
        #expect(source.kind == "ucontact")
        #expect(source.pageSize == 100)
        #expect(source.windowHours == 24)
        #expect(source.lookback == 7200)
        #expect(source.credential == .environment("CALLTRAIL_UCONTACT_PASSWORD"))
        #expect(source.options(as: UContactOptions.self).fieldNames == ["source_number": "caller"])
        #expect(source.timeZone.identifier == "America/Montevideo")
    }

    @Test(arguments: [
        ("kind = \"ucontact\"", "kind = \"asterisk\"", "kind 'asterisk' is unknown: use one of ucontact"),
        ("base_url = \"https://ucontact.example.com\"\n", "", "has no base_url: add base_url ="),
        ("base_url = \"https://ucontact.example.com\"", "base_url = \"ftp://x\"", "base_url 'ftp://x' is not an http(s) URL"),
        ("timezone = \"America/Montevideo\"", "timezone = \"Mars/Olympus\"", "timezone 'Mars/Olympus' is not an IANA time zone"),
        ("page_size = 100", "page_size = 0", "page_size must be a whole number from 1 to 1000"),
        ("page_size = 100", "page_size = \"many\"", "page_size must be a whole number"),
        ("password_env = \"CALLTRAIL_UCONTACT_PASSWORD\"", "", "has no password_env: add password_env"),
        ("password_env = \"CALLTRAIL_UCONTACT_PASSWORD\"", "password = \"hunter2\"", "a password in the configuration file is refused"),
        ("user = \"supervisor\"", "user = \"\"", "user must be a non-empty string"),
        ("page_size = 100", "page_size = 100\nsince = \"last week\"", "since 'last week' is not a date"),
        ("[[source]]", "[source]", "source must be an array of tables: write it as [[source]]"),
        ("user = \"supervisor\"", "user = supervisor", "line 7"),
        ("page_size = 100", "page_size = 100\npage_sise = 10", "page_sise is not an option of ucontact sources: remove it or correct its spelling"),
        ("page_size = 100", "page_size = 100\npage_index_base = 0", "page_index_base is not an option of ucontact sources"),
        ("page_size = 100", "page_size = 100\ncampaigns = \"Ventas<-\"", "campaigns must be a list of strings"),
    ])
    func badFilesNameTheFieldAndTheFix(original: String, replacement: String, expected: String) throws {
        let text = valid.replacingOccurrences(of: original, with: replacement)
        let error = try #require(parseError(text))
        #expect(error.kind == .configuration)
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(!error.message.contains("\n"))
        #expect(!error.message.contains("hunter2"))
    }

    @Test func eachKindTakesOnlyItsOwnKeys() throws {
        let meiqia = """
            [[source]]
            kind = "meiqia"
            base_url = "https://meiqia.example.com"
            password_env = "T"
            telephony_records_url = "https://x.example.com"
            """
        let error = try #require(parseError(meiqia))
        #expect(error.message.contains("telephony_records_url is not an option of meiqia sources"), "\(error.message)")
        #expect(error.message.contains("its own keys are page_index_base"))
        let ccai = try Configuration.parse("[[source]]\nkind = \"ccai\"\nbase_url = \"https://c.example.com\"\nuser = \"k\"\npassword_env = \"T\"\n", file: file)
        #expect(ccai.sources[0].windowHours == 744 && ccai.sources[0].pageSize == 100)
    }

    /// getrecords' filter keys are checked by name and type against seed 003's list.
    @Test func uContactFiltersAreTheDocumentedKeys() throws {
        func source(_ filter: String) -> String {
            "[[source]]\nkind = \"ucontact\"\nbase_url = \"https://u.example.com\"\nuser = \"s\"\npassword_env = \"T\"\nfilter = \(filter)\n"
        }
        let good = try Configuration.parse(source(#"{ campaign = "Ventas->", mindur = 10, exclude = "099000001" }"#), file: file)
        let filter = good.sources[0].options(as: UContactOptions.self).filter
        #expect(filter.values == ["campaign": "Ventas->", "mindur": "10", "exclude": "099000001"])
        let unknown = try #require(parseError(source(#"{ campain = "Ventas->" }"#)))
        #expect(unknown.message.contains("uContact's getrecords has no filter key campain: use one of agent, campaign"), "\(unknown.message)")
        #expect(!unknown.message.contains("\n"))
        let wrongType = try #require(parseError(source(#"{ mindur = "ten" }"#)))
        #expect(wrongType.message.contains("filter: mindur must be a whole number"), "\(wrongType.message)")
        let notATable = try #require(parseError(source(#""Ventas->""#)))
        #expect(notATable.message.contains("filter must be a table"), "\(notATable.message)")
    }

    @Test func meiqiaFiltersAreTheDocumentedKeys() throws {
        func source(_ filter: String) -> String {
            "[[source]]\nkind = \"meiqia\"\nbase_url = \"https://m.example.com\"\npassword_env = \"T\"\nfilter = \(filter)\n"
        }
        let good = try Configuration.parse(source(#"{ agent_ids = [1001, 1002], call_types = ["来电"], trunk_number = "02160001000" }"#), file: file)
        let filter = good.sources[0].options(as: MeiqiaOptions.self).filter
        #expect(filter.agentIDs == [1001, 1002])
        #expect(filter.lists == ["call_types": ["来电"]])
        #expect(filter.text == ["trunk_number": "02160001000"])
        let unknown = try #require(parseError(source(#"{ phone = "13800000000" }"#)))
        #expect(unknown.message.contains("Meiqia's records has no filter key phone: use one of agent_ids, call_types, states"), "\(unknown.message)")
        let value = try #require(parseError(source(#"{ call_types = ["inbound"] }"#)))
        #expect(value.message.contains("Meiqia's call_types has no value 'inbound': use one of 外呼, 来电"), "\(value.message)")
        let wrongType = try #require(parseError(source(#"{ agent_ids = ["1001"] }"#)))
        #expect(wrongType.message.contains("filter: agent_ids must be a list of whole numbers"), "\(wrongType.message)")
    }

    /// The demo's file is encoded by the TOML library: quotes and backslashes in a value survive.
    @Test func theDemoConfigurationIsEncodedNotSpliced() throws {
        var options = SimulatorOptions()
        options.user = #"sup"er\visor'"#
        options.days = 1
        let simulator = Simulator(options: options)
        let text = DemoConfiguration.toml(sources: simulator.demoSources(baseURL: "http://127.0.0.1:9"), baseURL: "http://127.0.0.1:9",
                                          timeZone: options.timeZone)
        let configuration = try Configuration.parse(text, file: file)
        #expect(configuration.sources.map { $0.kind } == Platforms.all.map { $0.kind })
        #expect(configuration.sources.first?.user == options.user)
        #expect(configuration.sources.first.map { $0.options(as: UContactOptions.self).telephonyRecordsURL?.absoluteString } == "http://127.0.0.1:9/telephony")
    }

    @Test func noSourceIsAnError() throws {
        let error = try #require(parseError("timezone = \"UTC\"\n"))
        #expect(error.message.contains("has no [[source]] table"))
    }

    @Test func twoSourcesWithOneNameAreRefused() throws {
        let doubled = valid + "\n" + valid.components(separatedBy: "\n").drop { !$0.hasPrefix("[[source]]") }.joined(separator: "\n")
        let error = try #require(parseError(doubled))
        #expect(error.message.contains("two sources are named 'ucontact'"))
    }

    @Test func unknownSourceNamesTheConfiguredOnes() throws {
        let configuration = try Configuration.parse(valid, file: file)
        #expect(throws: CalltrailError.configuration("--source 'meiqia' names no source in calltrail.toml: use one of ucontact")) {
            try configuration.selectSources(["meiqia"])
        }
        #expect(try configuration.selectSources([]).count == 1)
    }

    @Test func missingFileSaysHowToGetOne() {
        #expect(throws: CalltrailError.configuration(
            "configuration file /nonexistent/calltrail.toml not found: pass --config PATH, or run `calltrail demo` to write an example")) {
            try Configuration.load(path: "/nonexistent/calltrail.toml")
        }
    }

    @Test func passwordFileMustBePrivate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = folder.appendingPathComponent("ucontact.secret")
        FileManager.default.createFile(atPath: secret.path, contents: Data("s3cret\n".utf8), attributes: [.posixPermissions: 0o644])
        let reference = CredentialReference.file(secret)
        do {
            _ = try reference.resolve(for: "source 'ucontact'")
            Issue.record("a world-readable password file was accepted")
        } catch let error as CalltrailError {
            #expect(error.message.contains("chmod 600"))
            #expect(!error.message.contains("s3cret"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let value = try reference.resolve(for: "source 'ucontact'")
        #expect(value.value == "s3cret")
        #expect("\(value)" == "‹secret›")
    }

    @Test func missingEnvironmentVariableIsNamed() {
        let reference = CredentialReference.environment("CALLTRAIL_TEST_SURELY_UNSET")
        #expect(throws: CalltrailError.configuration(
            "source 'x': environment variable CALLTRAIL_TEST_SURELY_UNSET (password_env) is not set: export CALLTRAIL_TEST_SURELY_UNSET=… or use password_file")) {
            try reference.resolve(for: "source 'x'")
        }
    }
}
