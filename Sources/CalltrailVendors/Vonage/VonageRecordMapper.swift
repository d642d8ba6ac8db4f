import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailSync
import Foundation

/// What `GET /stats/queue-times` says about one interaction's time in a queue [doc].
public struct VonageQueueTime: Sendable, Equatable {
    public var queue: String?
    /// `Answered`, `Breakout`, ...
    public var category: String
    /// For a breakout: `CallerHungUp`, `Callback`, `Timeout`, ...
    public var reason: String?
    public var durationMS: Double
    /// The `duration` as sent when it failed its check: the interaction it belongs to is kept raw with
    /// this as its error.
    public var invalidDuration: String?

    public init(queue: String?, category: String, reason: String?, durationMS: Double, invalidDuration: String? = nil) {
        self.queue = queue
        self.category = category
        self.reason = reason
        self.durationMS = durationMS
        self.invalidDuration = invalidDuration
    }
}

/// Maps a Vonage Contact Center interaction (Insights Stats [doc], docs/VENDORS.md) and its queue time to a
/// `CallRecord`. Durations and event offsets are milliseconds.
public struct VonageRecordMapper: Sendable {
    public let source: String

    public init(source: String) { self.source = source }

    /// [guess] readings of docs/VENDORS.md, checked on every record.
    public static let checks = [
        MappingCheck("channels_within_interaction",
                     "an agent channel's event ends more than 1 s after the interaction's duration: talk, hold or wrap are in doubt"),
        MappingCheck("queue_time_within_interaction",
                     "the queue-times duration exceeds the interaction's duration: the derived queue time falls before the call began"),
    ]

    public func decode(_ bytes: UnsafeRawBufferPointer, queueTimes: [String: VonageQueueTime]) -> DecodedRecord {
        RecordDecoding.decode(bytes, key: { $0["guid"]?.text }) { value in
            try map(value, queueTime: value["guid"]?.text.flatMap { queueTimes[$0] })
        }
    }

    public func map(_ record: JSONValue, queueTime: VonageQueueTime?) throws -> CallRecord {
        guard let guid = record["guid"]?.text else { throw RecordFailure.missing("guid") }
        guard let startText = record["start"]?.text else { throw RecordFailure.missing("start") }
        guard let start = TimePoint(parsing: startText)?.date(in: TimeZone(identifier: "UTC")!) else {
            throw RecordFailure.invalid(field: "start", value: startText)
        }
        func milliseconds(_ value: JSONValue?, _ field: String) throws -> Double? {
            guard let value, value != .null else { return nil }
            guard let number = value.number, number >= 0, number < 10 * 86_400_000 else {
                throw RecordFailure.invalid(field: field, value: value.text ?? "\(value)")
            }
            return number
        }
        let direction: Direction = switch record["direction"]?.text?.lowercased() {
        case "outbound": .outbound
        case "internal": .internal
        default: .inbound
        }
        var call = CallRecord(source: source, callID: guid, direction: direction, outcome: .unknown, startedAt: start)
        let from = record["connectFrom"]?.text, to = record["connectTo"]?.text
        call.customerNumber = direction == .outbound ? to : from
        call.did = direction == .outbound ? from : to
        call.queue = queueTime?.queue ?? record["serviceName"]?.text
        call.disposition = record["outcome"]?.text
        let duration = try milliseconds(record["duration"], "duration")
        if let duration { call.endedAt = start.addingTimeInterval(duration / 1000) }
        var latestEventEnd = 0.0

        // The agent is the channel whose party has the role Agent; its Connected event is the answer.
        if case .array(let channels)? = record["channels"] {
            for channel in channels where channel["party"]?["role"]?.text == "Agent" {
                call.agent = channel["party"]?["id"]?.text
                if case .array(let events)? = channel["events"] {
                    for event in events {
                        let offset = try milliseconds(event["offset"], "events.offset") ?? 0
                        let length = try milliseconds(event["duration"], "events.duration") ?? 0
                        latestEventEnd = max(latestEventEnd, offset + length)
                        switch event["type"]?.text {
                        case "Connected":
                            call.answeredAt = call.answeredAt ?? start.addingTimeInterval(offset / 1000)
                            call.talkS += length / 1000
                        case "Hold": call.holdS += length / 1000
                        case "Wrap", "WrapUp": call.wrapS += length / 1000
                        default: break
                        }
                    }
                }
            }
        }
        call.talkS = max(0, call.talkS - call.holdS)
        // A call an agent connected may be recorded; the Interaction Content API's listing says
        // whether it is (VonageRecordingResolver) [guess: only connected calls are recorded].
        if call.answeredAt != nil { call.recordingRef = guid }
        if let duration, latestEventEnd > duration + 1000 { call.failedChecks.append(Self.checks[0].name) }
        if let duration, let queueTime, queueTime.durationMS > duration + 1000 { call.failedChecks.append(Self.checks[1].name) }

        if direction != .inbound {
            let connected = call.answeredAt != nil || record["outcome"]?.text == "Connected"
            call.outcome = direction == .outbound ? (connected ? .outboundAnswered : .outboundUnanswered) : (connected ? .answered : .unknown)
            return call
        }
        if let invalid = queueTime?.invalidDuration { throw RecordFailure.invalid(field: "queue-times duration", value: invalid) }
        guard let queueTime else {
            // Never in a queue (IVR only, or not in queue-times): not offered. An agent's Connected event
            // says answered; otherwise the caller hung up before a queue, whatever the outcome label says
            // (labels beyond the docs' few must not decide what the channels already tell).
            call.outcome = call.answeredAt != nil ? .answered : .abandoned
            return call
        }
        switch (queueTime.category, queueTime.reason) {
        case ("Answered", _): call.outcome = .answered
        // A caller who hung up after booking a queued callback is not abandoned [doc].
        case ("Breakout", "Callback"?), ("Breakout", "QueuedCallback"?): call.outcome = .deflected
        case ("Breakout", "Voicemail"?): call.outcome = .voicemail
        case ("Breakout", "CallerHungUp"?), ("Abandoned", _): call.outcome = .abandoned
        case ("Breakout", "Timeout"?): call.outcome = .unanswered
        case ("Breakout", _): call.outcome = .deflected
        // A category the docs do not list: the agent's channel decides, else it stays unknown.
        default: call.outcome = call.answeredAt != nil ? .answered : .unknown
        }
        let wait = queueTime.durationMS / 1000
        let left = call.outcome == .answered ? (call.answeredAt ?? call.endedAt) : call.endedAt
        call.waitS = wait
        call.queuedAt = left.map { $0.addingTimeInterval(-wait) }
        if call.outcome != .answered { call.answeredAt = nil }
        return call
    }

    /// Reads one `queue-times` item.
    public static func queueTime(_ item: JSONValue) -> (String, VonageQueueTime)? {
        guard let guid = item["guid"]?.text ?? item["interactionGuid"]?.text, let category = item["category"]?.text else { return nil }
        // Milliseconds, at most ten days, as the interactions' own durations.
        let duration = item["duration"] ?? .null
        var milliseconds = 0.0
        var invalid: String?
        if duration != .null {
            if let checked = try? CheckedNumber.seconds(duration.number, field: "duration", max: 10 * 86_400_000) {
                milliseconds = checked
            } else {
                invalid = duration.text ?? "\(duration)"
            }
        }
        return (guid, VonageQueueTime(queue: item["queue"]?.text, category: category, reason: item["reason"]?.text,
                                      durationMS: milliseconds, invalidDuration: invalid))
    }
}
