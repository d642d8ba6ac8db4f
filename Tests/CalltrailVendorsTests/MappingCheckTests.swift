import CalltrailCore
import CalltrailStore
import CalltrailSync
import CalltrailVendors
import Foundation
import Testing

/// The consistency checks each vendor's mapping runs on every record where docs/VENDORS.md marks a
/// reading [guess]: a record that agrees with the reading passes them all, one that contradicts it is
/// flagged by name (and still stored: the check informs, it does not reject).
@Suite struct MappingCheckTests {
    func decode(_ json: String, _ decode: (UnsafeRawBufferPointer) -> DecodedRecord) throws -> CallRecord {
        let record = Data(json.utf8).withUnsafeBytes { decode($0) }
        return try #require(record.call, "\(record)")
    }

    @Test func ccaiSpanAndHoldAgainstCallDuration() throws {
        let mapper = CCAIRecordMapper(source: "ccai")
        func call(duration: Int, hold: Int, endsAt: String) -> String {
            """
            {"id": 7, "call_type": "Inbound", "status": "finished", "fail_reason": "nothing", "created_at": "2026-10-01T10:00:00Z",
             "queued_at": "2026-10-01T10:00:05Z", "connected_at": "2026-10-01T10:00:20Z", "ends_at": "\(endsAt)",
             "call_duration": \(duration), "hold_duration": \(hold), "selected_menu": {"name": "Billing"}}
            """
        }
        let consistent = try decode(call(duration: 100, hold: 10, endsAt: "2026-10-01T10:02:00Z"), mapper.decode)
        #expect(consistent.failedChecks.isEmpty)
        let longSpan = try decode(call(duration: 100, hold: 10, endsAt: "2026-10-01T10:03:00Z"), mapper.decode)
        #expect(longSpan.failedChecks == ["span_matches_call_duration"])
        let holdTooLong = try decode(call(duration: 100, hold: 130, endsAt: "2026-10-01T10:02:00Z"), mapper.decode)
        #expect(holdTooLong.failedChecks == ["hold_within_call_duration"])
        #expect(holdTooLong.talkS == 0)
        #expect(CCAIPlatform().mappingChecks.map(\.name) == ["span_matches_call_duration", "hold_within_call_duration"])
    }

    @Test func meiqiaSpanAndWaitsAgainstDuration() throws {
        let mapper = MeiqiaRecordMapper(source: "meiqia", timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        func record(end: String, duration: Int, queueWait: Int, ring: Int) -> String {
            """
            {"call_uuid": "m-1", "call_type": "来电", "states": "接听", "start_time": "2026-10-01 10:00:00", "end_time": "\(end)",
             "duration": \(duration), "customer_duration": 60, "queue_wait_time": \(queueWait), "wait_time": \(ring), "agent_id": 1001}
            """
        }
        #expect(try decode(record(end: "2026-10-01 10:01:40", duration: 100, queueWait: 20, ring: 10), mapper.decode).failedChecks.isEmpty)
        #expect(try decode(record(end: "2026-10-01 10:01:50", duration: 100, queueWait: 20, ring: 10), mapper.decode).failedChecks
            == ["span_matches_duration"])
        #expect(try decode(record(end: "2026-10-01 10:01:40", duration: 100, queueWait: 80, ring: 30), mapper.decode).failedChecks
            == ["waits_within_duration"])
    }

    @Test func uContactTalkAndHoldAgainstDuration() throws {
        let mapper = UContactRecordMapper(source: "ucontact", timeZone: TimeZone(identifier: "America/Montevideo")!)
        func record(duration: Int, billsec: Int, hold: Int) -> String {
            """
            {"guid": "g-1", "calldate": "2026-10-01 10:00:00", "campaign": "Ventas<-", "src": "099000111", "dst": "26001000",
             "duration": \(duration), "billsec": \(billsec), "holdtime_agent": \(hold), "disposition": "ANSWERED", "agent": "A1"}
            """
        }
        #expect(try decode(record(duration: 120, billsec: 100, hold: 20), mapper.decode).failedChecks.isEmpty)
        #expect(try decode(record(duration: 90, billsec: 100, hold: 20), mapper.decode).failedChecks == ["talk_within_duration"])
        #expect(try decode(record(duration: 120, billsec: 100, hold: 200), mapper.decode).failedChecks == ["hold_within_duration"])
    }

    @Test func vonageChannelsAndQueueTimeInsideTheInteraction() throws {
        let mapper = VonageRecordMapper(source: "vonage")
        func interaction(duration: Int, connectedFor: Int) -> String {
            """
            {"guid": "v-1", "start": "2026-10-01T10:00:00Z", "direction": "Inbound", "duration": \(duration),
             "connectFrom": "+34600000001", "connectTo": "+34910000000",
             "channels": [{"party": {"role": "Agent", "id": "agent-7"},
                           "events": [{"type": "Connected", "offset": 20000, "duration": \(connectedFor)}]}]}
            """
        }
        func decode(_ json: String, queueMS: Double) throws -> CallRecord {
            let queueTime = VonageQueueTime(queue: "Sales", category: "Answered", reason: nil, durationMS: queueMS)
            let record = Data(json.utf8).withUnsafeBytes { mapper.decode($0, queueTimes: ["v-1": queueTime]) }
            return try #require(record.call)
        }
        #expect(try decode(interaction(duration: 100_000, connectedFor: 80_000), queueMS: 15_000).failedChecks.isEmpty)
        #expect(try decode(interaction(duration: 100_000, connectedFor: 95_000), queueMS: 15_000).failedChecks == ["channels_within_interaction"])
        #expect(try decode(interaction(duration: 100_000, connectedFor: 80_000), queueMS: 120_000).failedChecks == ["queue_time_within_interaction"])
    }
}
