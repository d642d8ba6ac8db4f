import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import Testing

/// Records shaped as uContact documents `Cdr/getrecords` (seed 003: `guid`, `calldate`, the filter's
/// names) with Asterisk CDR fields, including the odd ones a real export carries.
@Suite struct UContactMappingTests {
    let zone = TimeZone(identifier: "America/Montevideo")!
    let mapper = UContactRecordMapper(source: "ucontact", timeZone: TimeZone(identifier: "America/Montevideo")!)

    func fixture() throws -> [DecodedRecord] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/ucontact-getrecords", withExtension: "json"))
        let elements = try JSONArraySplitter.elements(of: Data(contentsOf: url))
        return elements.map(mapper.decode)
    }

    func at(_ text: String) -> Date { LocalDateTime(parsing: text)!.date(in: zone) }

    @Test func inboundAnsweredFromTheSeedGuid() throws {
        let c = try #require(try fixture()[0].call)
        #expect(c.callID == "7e4e7db9-f080-494e-b04b-7c8e47711558")
        #expect(c.direction == .inbound)
        #expect(c.outcome == .answered)
        #expect(c.queue == "Power<-")
        #expect(c.agent == "Agent1")
        #expect(c.customerNumber == "098344484")
        #expect(c.did == "26001000")
        #expect(c.startedAt == at("2016-01-18 10:15:00"))
        #expect(c.startedAt.timeIntervalSince1970 == 1_453_122_900)  // 13:15 UTC: Montevideo was UTC−3
        #expect(c.queuedAt == c.startedAt)
        // duration 212 − billsec 190 = 22 s in queue.
        #expect(c.waitS == 22)
        #expect(c.answeredAt == at("2016-01-18 10:15:22"))
        #expect(c.endedAt == at("2016-01-18 10:18:32"))
        #expect(c.talkS == 190)
        #expect(c.disposition == "ANSWERED")
        #expect(c.recordingRef == "7e4e7db9-f080-494e-b04b-7c8e47711558")
    }

    @Test func abandonsKeepTheirWaitAndNoAnswerTime() throws {
        let records = try fixture()
        let abandoned = try #require(records[1].call)
        #expect(abandoned.outcome == .abandoned)
        #expect(abandoned.agent == nil)
        #expect(abandoned.waitS == 37)
        #expect(abandoned.answeredAt == nil)
        #expect(abandoned.endedAt == at("2016-01-18 10:17:17"))
        #expect(abandoned.recordingRef == nil, "an abandoned call has no recording")
        let short = try #require(records[2].call)
        #expect(short.outcome == .abandoned)
        #expect(short.waitS == 3)
        #expect(short.agent == nil, "an empty agent is no agent")
    }

    @Test func outboundCampaignsSwapTheNumbersAndAreNotQueued() throws {
        let records = try fixture()
        let answered = try #require(records[3].call)
        #expect(answered.direction == .outbound)
        #expect(answered.outcome == .outboundAnswered)
        #expect(answered.customerNumber == "098124484")
        #expect(answered.did == "26002000")
        #expect(answered.queuedAt == nil)
        #expect(answered.waitS == nil)
        #expect(answered.answeredAt == at("2016-01-18 11:00:15"))
        let busy = try #require(records[4].call)
        #expect(busy.outcome == .outboundUnanswered)
        #expect(busy.disposition == "BUSY")
    }

    @Test func numbersWrittenAsStringsAreRead() throws {
        let call = try #require(try fixture()[5].call)
        #expect(call.talkS == 30)
        #expect(call.endedAt == at("2016-01-18 12:00:45"))
    }

    @Test func unknownDispositionIsStoredAsUnknown() throws {
        let call = try #require(try fixture()[6].call)
        #expect(call.outcome == .unknown)
        #expect(call.disposition == "TRANSFERRED")
    }

    @Test func undecodableRecordsAreKeptRawWithTheirError() throws {
        let records = try fixture()
        let noGuid = records[7]
        #expect(noGuid.call == nil)
        #expect(noGuid.failure?.decodeError == "record has no guid")
        #expect(noGuid.failure?.key.hasPrefix("content:") == true)
        let badDate = records[8]
        #expect(badDate.call == nil)
        #expect(badDate.failure?.key == "5f0d6a7c-1111-4a2b-8c3d-000000000009")
        #expect(badDate.failure?.decodeError == "calldate '18/01/2016 13:00' is not valid")
        #expect(records[9].failure?.decodeError == "record is not a JSON object")
        #expect(records[9].failure?.payload == "42")
        #expect(records[10].failure?.decodeError == "duration '-5' is not valid")
    }

    @Test func campaignSuffixWithASpaceStillReadsInbound() throws {
        let call = try #require(try fixture()[11].call)
        #expect(call.direction == .inbound)
        #expect(call.outcome == .answered, "no disposition, but talk time: answered")
        #expect(call.waitS == 30)
    }

    @Test func configuredFieldNamesAreTriedFirst() throws {
        let renamed = UContactRecordMapper(source: "uc2", timeZone: zone, renames: ["source_number": "caller", "queue": "cola"])
        let json = #"{"guid":"g-1","calldate":"2016-01-18 10:00:00","cola":"Ventas<-","caller":"091111111","src":"ignored","duration":10,"billsec":4,"disposition":"ANSWERED"}"#
        let page = SourcePage(elements: [Data(json.utf8)], decode: renamed.decode)
        #expect(try page.records.raw.json() == Array("[\(json)]".utf8), "the record's bytes are kept as sent")
        #expect(page.records.positions == [0])
        let c = try #require(page.records.calls.first)
        #expect(c.source == "uc2")
        #expect(c.customerNumber == "091111111")
        #expect(c.queue == "Ventas<-")
    }

    @Test func invalidJSONIsOneBadRecordNotABadPage() {
        let decoded = mapper.decode(Data(#"{"guid": "x", "calldate": "#.utf8))
        #expect(decoded.call == nil)
        #expect(decoded.failure?.decodeError == "not valid JSON")
        #expect(decoded.failure?.payload == #"{"guid": "x", "calldate": "#)
    }
}
