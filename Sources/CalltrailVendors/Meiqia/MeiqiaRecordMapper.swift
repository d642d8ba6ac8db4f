import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import Foundation

/// Maps a Meiqia (美洽) call record (seed 002, `data[]` of `records`) to a `CallRecord`
/// (docs/VENDORS.md, "Meiqia 美洽").
public struct MeiqiaRecordMapper: Sendable {
    public let source: String
    /// For times written without an offset [guess: the API writes RFC 3339 with one].
    public let timeZone: TimeZone
    /// What the wait is made of (the source's `wait`).
    public let wait: MeiqiaWaitReading
    let clock: ZoneClock

    public init(source: String, timeZone: TimeZone, wait: MeiqiaWaitReading = .queuePlusRing) {
        self.source = source
        self.timeZone = timeZone
        self.wait = wait
        self.clock = ZoneClock(timeZone)
    }

    /// [guess] readings of docs/VENDORS.md, checked on every record; the second names the wait reading
    /// in use, so a report whose data contradicts it says which setting to try.
    public static func checks(_ wait: MeiqiaWaitReading) -> [MappingCheck] {
        [
            MappingCheck("span_matches_duration",
                         "end_time − start_time differs from duration by more than 2 s: the end (and the queue and answer times derived back from it) is in doubt"),
            MappingCheck("waits_within_duration", wait == .queuePlusRing
                         ? "queue_wait_time + wait_time exceeds duration: the data contradicts wait = \"queue_plus_ring\" (the derived queue time falls before the call began); if it fires often, wait_time is likely part of queue_wait_time: set wait = \"queue\""
                         : "queue_wait_time exceeds duration: the data contradicts wait = \"queue\" (the derived queue time falls before the call began)"),
        ]
    }

    public var checks: [MappingCheck] { Self.checks(wait) }

    public func decode(_ bytes: UnsafeRawBufferPointer) -> DecodedRecord {
        RecordDecoding.decode(bytes, key: { $0["call_uuid"]?.text }, map: map)
    }

    public func map(_ record: JSONValue) throws -> CallRecord {
                func text(_ key: String) -> String? { record[key]?.text }
        func seconds(_ key: String) throws -> Double? {
            guard let value = record[key], value != .null else { return nil }
            guard let number = value.number, number >= 0, number < 10 * 86_400 else {
                throw RecordFailure.invalid(field: key, value: value.text ?? "\(value)")
            }
            return number
        }
        func time(_ key: String) throws -> Date? {
            guard let raw = text(key) else { return nil }
            guard let point = TimePoint(parsing: raw) else { throw RecordFailure.invalid(field: key, value: raw) }
            return clock.date(point)
        }

        guard let callID = text("call_uuid") else { throw RecordFailure.missing("call_uuid") }
        guard let start = try time("start_time") else { throw RecordFailure.missing("start_time") }
        let total = try seconds("duration")
        let end = try time("end_time") ?? total.map { start.addingTimeInterval($0) }
        let talk = try seconds("customer_duration") ?? 0
        let queueWait = try seconds("queue_wait_time") ?? 0
        let ring = try seconds("wait_time") ?? 0
        let state = text("states")?.trimmingCharacters(in: .whitespaces)
        var failed: [String] = []
        // The wait as the source reads it: the time in the queue, with the ring after it or without.
        let wait = self.wait == .queuePlusRing ? queueWait + ring : queueWait
        if let total, let stated = try time("end_time"), abs(stated.timeIntervalSince(start) - total) > 2 { failed.append(checks[0].name) }
        if let total, wait > total + 1 { failed.append(checks[1].name) }

        let direction: Direction
        switch text("call_type") {
        case "外呼": direction = .outbound
        case "来电": direction = .inbound
        default: direction = .inbound
        }
        var call = CallRecord(source: source, callID: callID, direction: direction, outcome: .unknown, startedAt: start)
        call.failedChecks = failed
        call.agent = text("agent_id")
        call.customerNumber = text("customer_phone")
        call.did = text("trunk_number")
        call.endedAt = end
        call.disposition = text("hangup_disposition")
        call.recordingRef = text("record_path")
        call.queue = text("trunk_number_name") ?? text("trunk_number")

        if direction == .outbound {
            switch state {
            case "接听": call.outcome = .outboundAnswered
            case "主叫未接", "被叫未接": call.outcome = .outboundUnanswered
            default: call.outcome = talk > 0 ? .outboundAnswered : .unknown
            }
            call.talkS = talk
            if call.outcome == .outboundAnswered, let end { call.answeredAt = end.addingTimeInterval(-talk) }
            return call
        }

        // Inbound. No answered or queued time is given: both are derived back from the end
        // (answered = end − talk; queued = answered − ring − queue wait) [docs/VENDORS.md].
        switch state {
        case "接听": call.outcome = .answered
        case "队列放弃": call.outcome = .abandoned
        case "振铃未接": call.outcome = .unanswered
        case "ivr": call.outcome = .abandoned
        default: call.outcome = talk > 0 ? .answered : .unknown
        }
        call.talkS = call.outcome == .answered ? talk : 0
        guard let end else { return call }
        if state == "ivr" {
            // Ended in the IVR: never offered to a queue, so outside service level and abandonment.
            return call
        }
        let answered = call.outcome == .answered ? end.addingTimeInterval(-talk) : nil
        let leftQueue = answered ?? end
        call.answeredAt = answered
        call.queuedAt = leftQueue.addingTimeInterval(-wait)
        call.waitS = wait
        return call
    }
}

/// How Meiqia's two wait fields make a call's wait (`wait` of a Meiqia `[[source]]`). Seed 002 names
/// `queue_wait_time` (排队等待时长) and `wait_time` (等待时长) without saying how they relate.
public enum MeiqiaWaitReading: String, Sendable {
    /// `queue_wait_time + wait_time`: the queue, then the ring at the agent (the default).
    case queuePlusRing = "queue_plus_ring"
    /// `queue_wait_time` alone: `wait_time` is read as a part of it, or as time outside the queue.
    case queue
}
