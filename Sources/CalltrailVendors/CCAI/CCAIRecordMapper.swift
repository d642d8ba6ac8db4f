import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import Foundation

/// Maps a CCAI Platform call object (seeds 000/001; Manager API fields from the vendor's docs) to a
/// `CallRecord`, with docs/VENDORS.md's fail-reason table. The seeds' misspellings (`voicemail_reaso`,
/// `n_deflection`) are read as what they mean.
public struct CCAIRecordMapper: Sendable {
    public let source: String

    public init(source: String) { self.source = source }

    /// [guess] readings of docs/VENDORS.md, checked on every record.
    public static let checks = [
        MappingCheck("span_matches_call_duration",
                     "ends_at − connected_at differs from call_duration by more than 2 s: talk and AHT rest on call_duration"),
        MappingCheck("hold_within_call_duration",
                     "hold_duration exceeds call_duration: talk (call_duration − hold) is cut to 0"),
    ]

    static let voicemailStatuses: Set<String> = ["voicemail", "voicemail_received", "voicemail_read"]
    static let unansweredReasons: Set<String> = ["eu_no_answer", "ag_ignored", "eu_busy"]

    public func decode(_ bytes: UnsafeRawBufferPointer) -> DecodedRecord {
        RecordDecoding.decode(bytes, key: { $0["id"]?.text }, map: map)
    }

    public func map(_ record: JSONValue) throws -> CallRecord {
                func text(_ key: String) -> String? { record[key]?.text }
        func time(_ key: String) throws -> Date? {
            guard let raw = text(key) else { return nil }
            guard let point = TimePoint(parsing: raw) else {
                throw RecordFailure.invalid(field: key, value: raw)
            }
            return point.date(in: TimeZone(identifier: "UTC")!)
        }
        func seconds(_ key: String) throws -> Double? {
            guard let value = record[key], value != .null else { return nil }
            guard let number = value.number, number >= 0, number < 10 * 86_400 else {
                throw RecordFailure.invalid(field: key, value: value.text ?? "\(value)")
            }
            return number
        }

        guard let id = text("id") else { throw RecordFailure.missing("id") }
        guard let created = try time("created_at") else { throw RecordFailure.missing("created_at") }
        let status = text("status") ?? ""
        let callType = text("call_type") ?? ""
        let direction: Direction = callType.contains("Outbound") || callType.contains("Scheduled") ? .outbound : .inbound
        let failReason = text("fail_reason") ?? "nothing"
        // The seeds misspell both key and value: `voicemail_reaso`, `n_deflection` (= no_deflection).
        let deflection = text("deflection") ?? "no_deflection"
        let deflected = deflection != "no_deflection" && deflection != "n_deflection"
        let voicemailReason = text("voicemail_reason") ?? text("voicemail_reaso") ?? "not_voicemail"

        var call = CallRecord(source: source, callID: id, direction: direction, outcome: .unknown, startedAt: created)
        let queued = try time("queued_at")
        let connected = try time("connected_at")
        let ended = try time("ends_at")
        call.endedAt = ended
        call.answeredAt = connected
        // The Reporting API's handle time runs from connected_at to ended_at, hold included, and
        // call_duration spans that: talk is what remains without the hold (never below 0).
        let statedDuration = try seconds("call_duration")
        let duration = statedDuration ?? 0
        call.holdS = try seconds("hold_duration") ?? 0
        call.talkS = max(0, duration - call.holdS)
        if let statedDuration, let connected, let ended, abs(ended.timeIntervalSince(connected) - statedDuration) > 2 {
            call.failedChecks.append(Self.checks[0].name)
        }
        if call.holdS > duration { call.failedChecks.append(Self.checks[1].name) }
        call.agent = record["agent_info"]?["name"]?.text
        call.queue = record["selected_menu"]?["name"]?.text ?? record["menu_path"]?["name"]?.text
        call.customerNumber = text("end_user_number") ?? record["end_user"]?["identifier"]?.text
        call.did = text("support_number") ?? text("outbound_number")
        call.recordingRef = text("recording_url")
        call.disposition = [status, failReason == "nothing" ? nil : failReason].compactMap { $0 }.joined(separator: "/")
        if case .array(let transfers)? = record["transfers"] { call.transfers = transfers.count }
        // The call this one follows up (`parent_id`, 0 for none), whatever its direction: a failed
        // inbound call's callback is often a `Voice Outbound` call.
        let parent = text("parent_id").flatMap { $0 == "0" ? nil : $0 }
        call.parentCallID = parent

        if direction == .outbound {
            call.outcome = connected != nil && failReason == "nothing" ? .outboundAnswered : .outboundUnanswered
            return call
        }

        // A `recovered` call is the callback of a failed parent (`parent_id`): one customer contact,
        // offered once (as the parent), so the child is not offered again.
        let recovered = status == "recovered" && parent != nil
        switch failReason {
        case "nothing" where deflected: call.outcome = .deflected
        case "nothing" where Self.voicemailStatuses.contains(status) || voicemailReason != "not_voicemail": call.outcome = .voicemail
        case "nothing": call.outcome = connected != nil || status == "finished" ? .answered : .unknown
        case "eu_abandoned": call.outcome = .abandoned
        case "eu_in_menu_abandoned": call.outcome = .abandoned
        case let reason where Self.unansweredReasons.contains(reason): call.outcome = .unanswered
        default: call.outcome = deflected ? .deflected : (Self.voicemailStatuses.contains(status) ? .voicemail : .failed)
        }
        if call.outcome == .answered && connected == nil { call.outcome = .unknown }
        // IVR abandons never reached a queue: not offered.
        if failReason == "eu_in_menu_abandoned" || recovered { return call }
        call.queuedAt = queued
        if let queued {
            let wait = try seconds("queue_duration") ?? seconds("wait_duration")
            call.waitS = wait ?? ((connected ?? ended).map { max(0, $0.timeIntervalSince(queued)) })
        }
        return call
    }
}
