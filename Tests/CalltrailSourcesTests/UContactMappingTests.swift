import CalltrailCore
import CalltrailSources
import CalltrailStore
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

@Suite struct JSONArraySplitterTests {
    @Test func keepsEachElementsExactBytes() throws {
        let text = #" [ {"a": "x,]}\"{"}, [1, [2]] ,"s", 3.5, null ,{"b":{"c":[]}} ] "#
        let parts = try JSONArraySplitter.elements(of: Data(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(parts == [#"{"a": "x,]}\"{"}"#, "[1, [2]]", #""s""#, "3.5", "null", #"{"b":{"c":[]}}"#])
    }

    @Test func emptyArrayHasNoElements() throws {
        #expect(try JSONArraySplitter.elements(of: Data("[]".utf8)).isEmpty)
        #expect(try JSONArraySplitter.elements(of: Data(" [ \n ] ".utf8)).isEmpty)
    }

    @Test func nonArraysAndTruncatedBodiesAreRefused() {
        #expect(throws: JSONArraySplitter.Failure.notAnArray) { try JSONArraySplitter.elements(of: Data("0".utf8)) }
        #expect(throws: JSONArraySplitter.Failure.notAnArray) { try JSONArraySplitter.elements(of: Data("<html>".utf8)) }
        #expect(throws: JSONArraySplitter.Failure.unterminated) { try JSONArraySplitter.elements(of: Data(#"[{"a":1},{"b""#.utf8)) }
    }
}

@Suite struct RetryPolicyTests {
    @Test func backoffIsBoundedAndGrows() {
        let policy = RetryPolicy(maxAttempts: 5, base: 0.5, cap: 4)
        for attempt in 1...8 {
            let ceiling = min(4, 0.5 * pow(2, Double(attempt - 1)))
            for _ in 0..<50 {
                let wait = policy.backoff(afterAttempt: attempt)
                #expect(wait >= 0 && wait <= ceiling)
            }
        }
    }

    @Test func retryAfterReadsSecondsAndDates() {
        #expect(RetryPolicy.retryAfter("3") == 3)
        #expect(RetryPolicy.retryAfter(nil) == nil)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_772_420_390)
        #expect(RetryPolicy.retryAfter("Mon, 02 Mar 2026 03:00:00 GMT", now: now) == 10)
    }
}

@Suite struct HostileRecordTests {
    let mapper = UContactRecordMapper(source: "ucontact", timeZone: TimeZone(identifier: "America/Montevideo")!)

    @Test func deeplyNestedAndOversizedRecordsAreRefusedOneByOne() throws {
        let deep = #"{"guid":"g","calldate":"2016-01-18 10:00:00","data":"# + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}"
        let huge = #"{"guid":"h","calldate":"2016-01-18 10:00:00","data":""# + String(repeating: "x", count: 2 << 20) + #""}"#
        let fine = #"{"guid":"ok","calldate":"2016-01-18 10:00:00","duration":5,"billsec":0,"disposition":"NO ANSWER"}"#
        let page = "[" + [deep, huge, fine].joined(separator: ",") + "]"
        let results = try JSONArraySplitter.elements(of: Data(page.utf8)).map(mapper.decode)
        #expect(results.count == 3)
        #expect(results[0].failure?.decodeError == "record nests deeper than 32 levels")
        #expect(results[1].failure?.decodeError == "record of \(huge.utf8.count) bytes is larger than 1048576 bytes")
        #expect(results[2].call?.callID == "ok")
    }

    @Test func numbersOutOfRangeAreRefusedPerRecord() throws {
        let decoded = mapper.decode(Data(#"{"guid":"n","calldate":"2016-01-18 10:00:00","duration":1e308,"billsec":0}"#.utf8))
        #expect(decoded.call == nil)
        #expect(decoded.failure?.decodeError?.hasPrefix("duration") == true)
    }
}

/// The hand-written parser behind every vendor record: strict JSON, the same values Foundation reads.
@Suite struct JSONParsingTests {
    @Test func readsWhatJSONSerializationReads() throws {
        let documents = [
            #"{"a":1,"b":-0.5,"c":"x\"y\\z\/\n\t\u00e9\ud83d\ude00","d":[true,false,null],"e":{},"f":[],"g":1.5e3,"h":-123456789012345}"#,
            #"  [ 1 , "two" , { "three" : [ 3 ] } ]  "#,
            #""plain""#, "0", "-0", "3.25E-2", "12345678901234", "\"ünïcödé ✓\"",
        ]
        for document in documents {
            let ours = try JSONValue.parse(Data(document.utf8))
            let foundation = try JSONSerialization.jsonObject(with: Data(document.utf8), options: .fragmentsAllowed)
            #expect(NSDictionary(dictionary: ["v": ours.foundationObject]) == NSDictionary(dictionary: ["v": foundation]), "\(document)")
        }
    }

    @Test func refusesWhatIsNotJSON() {
        let bad = [
            "", "{", "[1,]", #"{"a":1,}"#, "01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity", "tru", "nul",
            #"{"a" 1}"#, #"{a:1}"#, "'x'", "\"tab\there\"", #""\x""#, #""\ud800""#, #""\ud800\u0041""#, "1 2",
            "[1e400]", "\"\u{7}\"",
        ]
        for document in bad {
            #expect(throws: (any Error).self, "\(document)") { try JSONValue.parse(Data(document.utf8)) }
        }
        #expect(throws: (any Error).self) { try JSONValue.parse(Data([0x22, 0xC3, 0x28, 0x22])) }  // invalid UTF-8
    }

    @Test func boundsNestingPerRecord() throws {
        let nested = { (depth: Int) in String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        #expect(throws: JSONValue.RecordProblem.tooDeep(32)) { try JSONValue.parseRecord(Data(nested(33).utf8)) }
        _ = try JSONValue.parseRecord(Data(nested(32).utf8))
        #expect(throws: JSONValue.RecordProblem.notJSON) { try JSONValue.parseRecord(Data("[1,]".utf8)) }
    }
}
