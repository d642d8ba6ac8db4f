import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import Testing

/// Records shaped as Meiqia's `records` documents them (seed 002): `data[]` fields, Chinese call types
/// and states, times as date-time.
@Suite struct MeiqiaMappingTests {
    let mapper = MeiqiaRecordMapper(source: "meiqia", timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    func records() throws -> [DecodedRecord] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/meiqia-records", withExtension: "json"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let array = text[text.range(of: "[")!.lowerBound...]
        return try JSONArraySplitter.elements(of: Data(array.utf8)).map(mapper.decode)
    }

    func at(_ iso: String) -> Date { TimePoint(parsing: iso)!.date(in: TimeZone(identifier: "Asia/Shanghai")!) }

    @Test func answeredInboundDerivesAnswerAndQueueTimesFromTheEnd() throws {
        let call = try #require(try records()[0].call)
        #expect(call.callID == "2bbf137f-7707-4789-9f71-64cdfa5ddb22")
        #expect(call.direction == .inbound)
        #expect(call.outcome == .answered)
        #expect(call.agent == "1001")
        #expect(call.customerNumber == "13800138000")
        #expect(call.did == "02160001000")
        #expect(call.queue == "售前热线")
        #expect(call.talkS == 185)
        // end 10:03:35 − talk 185 s = answered 10:00:30; − ring 3 s − queue 17 s = queued 10:00:10.
        #expect(call.answeredAt == at("2026-03-02T10:00:30+08:00"))
        #expect(call.queuedAt == at("2026-03-02T10:00:10+08:00"))
        #expect(call.waitS == 20)
        #expect(call.startedAt.timeIntervalSince1970 == 1_772_416_800)  // 02:00 UTC
        #expect(call.recordingRef == "https://records.meiqia.example/2bbf137f.mp3")
        #expect(call.disposition == "客户挂机")
    }

    /// `wait = "queue"`: the wait is `queue_wait_time` alone, so the same record is queued 3 s later,
    /// and the check's line names the reading it tests.
    @Test func theWaitReadingIsTheSourcesChoice() throws {
        let queueOnly = MeiqiaRecordMapper(source: "meiqia", timeZone: TimeZone(identifier: "Asia/Shanghai")!, wait: .queue)
        let url = try #require(Bundle.module.url(forResource: "Fixtures/meiqia-records", withExtension: "json"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let first = try #require(try JSONArraySplitter.elements(of: Data(text[text.range(of: "[")!.lowerBound...].utf8)).first)
        let call = try #require(queueOnly.decode(first).call)
        #expect(call.waitS == 17)
        #expect(call.queuedAt == at("2026-03-02T10:00:13+08:00"))
        #expect(MeiqiaRecordMapper.checks(.queuePlusRing)[1].meaning.contains("wait = \"queue_plus_ring\""))
        #expect(MeiqiaRecordMapper.checks(.queue)[1].meaning.contains("wait = \"queue\""))

        func source(_ line: String) throws -> SourceConfiguration {
            let toml = "database = \"x.sqlite\"\n[[source]]\nkind = \"meiqia\"\nbase_url = \"https://meiqia.example.com\"\npassword_env = \"X\"\n\(line)\n"
            return try #require(try Configuration.parse(toml, file: URL(fileURLWithPath: "/tmp/calltrail.toml")).sources.first)
        }
        #expect(try source("wait = \"queue\"").options(as: MeiqiaOptions.self).wait == .queue)
        #expect(try source("").options(as: MeiqiaOptions.self).wait == .queuePlusRing)
        #expect(throws: CalltrailError.configuration(
            "calltrail.toml [[source]] #1 (meiqia): wait 'ring' is not a reading of Meiqia's wait: use wait = \"queue_plus_ring\" or wait = \"queue\" (docs/VENDORS.md)")) {
            try source("wait = \"ring\"")
        }
    }

    @Test func inboundStatesMapToOutcomes() throws {
        let r = try records()
        let abandoned = try #require(r[1].call)
        #expect(abandoned.outcome == .abandoned)
        #expect(abandoned.waitS == 42)
        #expect(abandoned.queuedAt == at("2026-03-02T10:10:10+08:00"))
        #expect(abandoned.answeredAt == nil)
        let rang = try #require(r[2].call)
        #expect(rang.outcome == .unanswered)
        #expect(rang.waitS == 15)
        let ivr = try #require(r[3].call)
        #expect(ivr.queuedAt == nil, "ended in the IVR: never offered")
        #expect(ivr.waitS == nil)
    }

    @Test func outboundStatesAndOffsetlessTimes() throws {
        let r = try records()
        let connected = try #require(r[4].call)
        #expect(connected.direction == .outbound)
        #expect(connected.outcome == .outboundAnswered)
        #expect(connected.customerNumber == "13700137000")
        #expect(connected.startedAt == at("2026-03-02T11:00:00+08:00"), "a time without offset is read in the source's zone")
        #expect(connected.answeredAt == at("2026-03-02T11:00:12+08:00"))
        #expect(connected.queuedAt == nil)
        #expect(try #require(r[5].call).outcome == .outboundUnanswered)
        #expect(try #require(r[6].call).outcome == .outboundUnanswered)
    }

    @Test func unknownStatesAndBrokenRecordsNeverFailThePage() throws {
        let r = try records()
        #expect(try #require(r[7].call).outcome == .unknown)
        #expect(r[8].call == nil)
        #expect(r[8].failure?.decodeError == "record has no call_uuid")
        #expect(r[9].call == nil)
        #expect(r[9].failure?.key == "bad-time")
        #expect(r[9].failure?.decodeError == "start_time '昨天下午' is not valid")
    }

    /// Meiqia writes agent_id 0 on calls abandoned in the queue: no agent, for every vendor.
    @Test(arguments: ["0", "\"0\"", "\"\"", "\" \""])
    func agentZeroOrEmptyIsNoAgent(agent: String) throws {
        let record = #"{"agent_id": \#(agent), "call_type": "来电", "call_uuid": "z1", "duration": 20, "end_time": "2026-03-02T10:00:20+08:00", "start_time": "2026-03-02T10:00:00+08:00", "states": "排队放弃", "queue_wait_time": 18, "wait_time": 2, "trunk_number": "02160001000"}"#
        let call = try #require(mapper.decode(Data(record.utf8)).call)
        #expect(call.agent == nil)
        #expect(CallRecord.agentID("1001") == "1001")
    }
}
