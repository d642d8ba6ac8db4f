import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import Testing

/// Vonage interactions as the Insights Stats docs describe them (docs/VENDORS.md): milliseconds, channels
/// with party roles and events, joined with their queue-times entry.
@Suite struct VonageMappingTests {
    let mapper = VonageRecordMapper(source: "vonage")
    let queueTimes: [String: VonageQueueTime] = [
        "c9a8e2f0-0001-4000-8000-000000000001": .init(queue: "Sales Line", category: "Answered", reason: nil, durationMS: 20000),
        "c9a8e2f0-0001-4000-8000-000000000002": .init(queue: "Sales Line", category: "Breakout", reason: "CallerHungUp", durationMS: 45000),
        "c9a8e2f0-0001-4000-8000-000000000003": .init(queue: "Service Desk", category: "Breakout", reason: "Callback", durationMS: 90000),
    ]

    func interactions() throws -> [DecodedRecord] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/vonage-interactions", withExtension: "json"))
        return try JSONArraySplitter.elements(of: Data(contentsOf: url)).map { mapper.decode($0, queueTimes: queueTimes) }
    }

    func utc(_ text: String) -> Date { TimePoint(parsing: text)!.date(in: TimeZone(identifier: "UTC")!) }

    @Test func answeredInteractionTakesTheAgentChannelAndQueueTime() throws {
        let call = try #require(try interactions()[0].call)
        #expect(call.outcome == .answered)
        #expect(call.agent == "agent-101")
        #expect(call.customerNumber == "+44 7700 900123")
        #expect(call.did == "+44 20 7946 0100")
        #expect(call.queue == "Sales Line")
        #expect(call.startedAt == utc("2026-03-02T09:00:00Z"), "milliseconds dropped")
        // Connected 25 s after the start; 20 s of it in the queue.
        #expect(call.answeredAt == utc("2026-03-02T09:00:25Z"))
        #expect(call.queuedAt == utc("2026-03-02T09:00:05Z"))
        #expect(call.waitS == 20)
        #expect(call.talkS == 180, "connected 220 s less 40 s on hold")
        #expect(call.holdS == 40)
        #expect(call.wrapS == 30)
        #expect(call.endedAt == utc("2026-03-02T09:04:05Z"))
    }

    @Test func aCallerWhoBookedACallbackIsNotAbandoned() throws {
        let r = try interactions()
        let hungUp = try #require(r[1].call)
        #expect(hungUp.outcome == .abandoned)
        #expect(hungUp.waitS == 45)
        #expect(hungUp.queuedAt == utc("2026-03-02T09:10:05Z"))
        let callback = try #require(r[2].call)
        #expect(callback.outcome == .deflected)
        let ivr = try #require(r[3].call)
        #expect(ivr.queuedAt == nil, "not in queue-times: never offered")
        #expect(ivr.outcome == .abandoned)
    }

    @Test func outboundAndBrokenInteractions() throws {
        let r = try interactions()
        #expect(try #require(r[4].call).outcome == .outboundAnswered)
        #expect(try #require(r[4].call).customerNumber == "+44 7700 900126")
        #expect(try #require(r[5].call).outcome == .outboundUnanswered)
        #expect(r[6].call == nil)
        #expect(r[6].failure?.decodeError == "duration '-5' is not valid")
        #expect(r[7].failure?.decodeError == "record has no guid")
    }

    /// An interaction that ended in the IVR with a label the docs never show is a caller who hung up
    /// before a queue: abandoned, never offered; a breakout to voicemail is voicemail.
    @Test func labelsBeyondTheDocsDoNotDecideTheOutcome() throws {
        let ivr = #"{"guid": "v-ivr", "start": "2026-03-02T09:00:00.000Z", "duration": 30000, "direction": "Inbound", "outcome": "EndedInIVR", "channels": [{"party": {"id": "+44 20 7946 0000", "role": "External"}, "events": [{"type": "Ringing", "offset": 0, "duration": 2000}]}]}"#
        let call = try #require(mapper.decode(Data(ivr.utf8), queueTimes: [:]).call)
        #expect(call.outcome == .abandoned)
        #expect(call.queuedAt == nil)
        let answeredIVR = #"{"guid": "v-a", "start": "2026-03-02T09:00:00.000Z", "duration": 90000, "direction": "Inbound", "outcome": "SomethingNew", "channels": [{"party": {"id": "a1", "role": "Agent"}, "events": [{"type": "Connected", "offset": 10000, "duration": 80000}]}]}"#
        #expect(try #require(mapper.decode(Data(answeredIVR.utf8), queueTimes: [:]).call).outcome == .answered)
        let voicemail = #"{"guid": "v-vm", "start": "2026-03-02T09:00:00.000Z", "duration": 60000, "direction": "Inbound", "outcome": "Voicemail", "channels": []}"#
        let breakout = VonageQueueTime(queue: "Sales Line", category: "Breakout", reason: "Voicemail", durationMS: 30000)
        let vm = try #require(mapper.decode(Data(voicemail.utf8), queueTimes: ["v-vm": breakout]).call)
        #expect(vm.outcome == .voicemail)
        #expect(vm.queuedAt != nil)
    }
}
