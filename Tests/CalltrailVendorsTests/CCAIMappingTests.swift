import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import Testing

/// CCAI Platform call objects: the seed's own samples (000: the full call object, and the outbound
/// response with the misspelt `voicemail_reaso` / `n_deflection`) and Manager-API objects for each
/// row of docs/VENDORS.md's fail-reason table.
@Suite struct CCAIMappingTests {
    let mapper = CCAIRecordMapper(source: "ccai")

    func calls() throws -> [DecodedRecord] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/ccai-calls", withExtension: "json"))
        return try JSONArraySplitter.elements(of: Data(contentsOf: url)).map(mapper.decode)
    }

    func utc(_ text: String) -> Date { TimePoint(parsing: text)!.date(in: TimeZone(identifier: "UTC")!) }

    @Test func theSeedsSampleObjectsMapWithoutLoss() throws {
        let c = try calls()
        let sample = try #require(c[0].call)
        #expect(sample.callID == "0")
        #expect(sample.direction == .outbound, "Voice Scheduled (API) is a call the center places")
        #expect(sample.outcome == .outboundAnswered)
        #expect(sample.startedAt == utc("2018-06-07T19:49:52Z"))
        #expect(sample.agent == "string")
        let misspelt = try #require(c[1].call)
        #expect(misspelt.callID == "397")
        #expect(misspelt.outcome == .outboundUnanswered, "assigned, never connected")
        #expect(misspelt.agent == "Admin UJET")
        #expect(misspelt.customerNumber == nil)
        #expect(c[1].failure?.decodeError == nil)
    }

    @Test func answeredInboundUsesQueueDurationAndCountsTransfers() throws {
        let call = try #require(try calls()[2].call)
        #expect(call.direction == .inbound)
        #expect(call.outcome == .answered)
        #expect(call.queue == "Billing")
        #expect(call.queuedAt == utc("2026-03-02T14:00:00Z"))
        #expect(call.answeredAt == utc("2026-03-02T14:00:12Z"))
        #expect(call.waitS == 12)
        // call_duration (240) spans connected_at to ends_at, hold included: talk is 240 − 30.
        #expect(call.talkS == 210)
        #expect(call.holdS == 30)
        #expect(call.transfers == 2)
        #expect(call.agent == "Avery Chen")
        #expect(call.customerNumber == "+1 859-657-9625")
        #expect(call.did == "+1 339-219-5276")
        #expect(call.recordingRef == "https://storage.example/rec/5001.mp3")
    }

    @Test func failReasonsFollowTheTable() throws {
        let c = try calls()
        let abandoned = try #require(c[3].call)
        #expect(abandoned.outcome == .abandoned)
        #expect(abandoned.waitS == 40, "the deprecated wait_duration when queue_duration is absent")
        #expect(abandoned.queue == "Tech Support")
        let ivr = try #require(c[4].call)
        #expect(ivr.outcome == .abandoned)
        #expect(ivr.queuedAt == nil, "an IVR abandon is not offered")
        #expect(try #require(c[5].call).outcome == .unanswered)
        #expect(try #require(c[6].call).outcome == .deflected)
        #expect(try #require(c[7].call).outcome == .voicemail, "voicemail_reaso read as voicemail_reason")
        #expect(try #require(c[8].call).outcome == .failed)
    }

    @Test func aRecoveredChildIsNotOfferedAgain() throws {
        let child = try #require(try calls()[9].call)
        #expect(child.outcome == .answered)
        #expect(child.queuedAt == nil)
        #expect(child.disposition == "recovered")
        #expect(child.parentCallID == "5002", "the recovered call keeps its link to the failed parent")
    }

    /// An independent CCAI server sends the callback of a failed inbound call as `Voice Outbound`: the
    /// call keeps its parent whatever its direction, so the report names it as the abandon's recovery.
    @Test func anOutboundCallbackKeepsItsParent() throws {
        let callback = try #require(try calls()[12].call)
        #expect(callback.direction == .outbound)
        #expect(callback.outcome == .outboundAnswered)
        #expect(callback.parentCallID == "5004")
        #expect(callback.queuedAt == nil)
        // parent_id 0 is no parent.
        #expect(try #require(try calls()[0].call).parentCallID == nil)
    }

    @Test func unknownStatesAreKeptAsUnknownAndBadTimesAsRawErrors() throws {
        let c = try calls()
        #expect(try #require(c[10].call).outcome == .unknown)
        #expect(c[11].call == nil)
        #expect(c[11].failure?.key == "5010")
        #expect(c[11].failure?.decodeError == "created_at 'not a time' is not valid")
    }
}
