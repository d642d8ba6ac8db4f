import CalltrailCore
import Foundation

/// Writes simulated calls as CCAI Platform call objects (seed 000's shape), with the vendor's mix:
/// abandons in queue and in the IVR, a few deflections and voicemails, recovered callbacks of failed
/// calls, the deprecated `wait_duration` on some objects, and every 17th object with the seed's
/// misspelt `voicemail_reaso` and `n_deflection`.
struct CCAICallEncoder {
    struct Encoded {
        let id: Int
        var updatedAt: Date
        let object: [String: Any]
    }

    static let recordingPlaceholder = "{{ccai-recordings}}"

    static func iso(_ date: Date) -> String {
        LocalDateTime.iso8601(date, in: TimeZone(identifier: "UTC")!).replacingOccurrences(of: "+00:00", with: ".000Z")
    }

    static func encode(_ calls: [SimulatedCall]) -> [Encoded] {
        var out: [Encoded] = []
        var nextID = 1000
        for (index, call) in calls.enumerated() {
            let id = nextID
            nextID += 1
            let created = call.start.addingTimeInterval(call.inbound ? -15 : 0)
            let queued: Date? = call.inbound && call.fate != .failed ? call.start : nil
            let answered = call.fate == .answered || call.fate == .outboundAnswered
            let connected: Date? = answered ? call.start.addingTimeInterval(Double(call.waitS)) : nil
            let ends = call.start.addingTimeInterval(Double(call.waitS + call.talkS))
            var status = answered ? "finished" : "failed"
            var failReason = "nothing"
            var deflection = "no_deflection"
            var voicemail = "not_voicemail"
            switch call.fate {
            case .abandoned where index % 29 == 3:
                status = "deflected"
                deflection = "overflow_deflection"
            case .abandoned where index % 31 == 5:
                status = "voicemail_received"
                voicemail = "queue_overflow"
            case .abandoned: failReason = "eu_abandoned"
            case .failed: failReason = "eu_in_menu_abandoned"
            case .outboundUnanswered: failReason = "eu_no_answer"
            case .outboundBusy: failReason = "eu_busy"
            default: break
            }
            var object: [String: Any] = [
                "id": id, "parent_id": 0, "lang": "en",
                "call_type": call.inbound ? "Voice Inbound (IVR)" : "Voice Outbound (API)",
                "status": status, "created_at": iso(created),
                "queued_at": queued.map(iso) as Any? ?? NSNull(),
                "assigned_at": connected.map(iso) as Any? ?? NSNull(),
                "connected_at": connected.map(iso) as Any? ?? NSNull(),
                "ends_at": iso(ends), "scheduled_at": NSNull(),
                "call_duration": answered ? call.talkS : 0, "hold_duration": answered ? call.holdS : 0,
                "rating": NSNull(), "has_feedback": false, "voip_provider": "voip_provider_twilio",
                "recording_url": answered ? "\(recordingPlaceholder)/\(id).mp3" as Any : NSNull(),
                "recording_permission": answered ? "granted" : "not_asked",
                "deflection": deflection, "disconnected_by": "disconnected_by_end_user",
                "fail_reason": failReason, "fail_details": NSNull(), "support_number": call.did,
                "selected_menu": call.inbound ? ["id": 1, "name": call.campaign, "parent_id": 0, "position": 0, "deleted": false,
                                                 "hidden": "false", "menu_type": "ivr_menu", "output_msg": ""] as Any : NSNull(),
                "menu_path": call.inbound ? ["items_count": 1, "name": call.campaign, "materialized_path": "1"] as Any : NSNull(),
                "agent_info": call.agent.map { ["id": abs($0.hashValue % 90) + 1, "name": $0, "agent_number": NSNull(),
                                                "avatar_url": NSNull()] as Any } ?? NSNull(),
                "end_user": ["id": id + 50_000, "identifier": call.customerNumber, "out_contact_id": NSNull()],
                "end_user_number": call.customerNumber,
                "photos": [], "videos": [], "transfers": [], "participants": [],
                "updated_at": iso(ends.addingTimeInterval(30)),
            ]
            if queued != nil {
                if index % 3 == 0 { object["wait_duration"] = call.waitS } else { object["queue_duration"] = call.waitS }
            }
            if index % 17 == 9 {
                object["voicemail_reaso"] = voicemail
                object["deflection"] = deflection == "no_deflection" ? "n_deflection" : deflection
            } else {
                object["voicemail_reason"] = voicemail
            }
            if call.inbound && index % 11 == 4 && answered {
                object["transfers"] = [["id": id, "status": "transferred", "fail_reason": "nothing", "created_at": iso(ends.addingTimeInterval(-30))]]
            }
            out.append(Encoded(id: id, updatedAt: ends.addingTimeInterval(30), object: object))
            // Every 7th abandoned call is called back: a `recovered` child of the failed call.
            if call.fate == .abandoned && index % 7 == 2 {
                let childID = nextID
                nextID += 1
                let start = ends.addingTimeInterval(120)
                var child = object
                child["id"] = childID
                child["parent_id"] = id
                child["status"] = "recovered"
                child["fail_reason"] = "nothing"
                child["created_at"] = iso(start)
                child["connected_at"] = iso(start.addingTimeInterval(8))
                child["ends_at"] = iso(start.addingTimeInterval(98))
                child["call_duration"] = 90
                child["agent_info"] = ["id": 7, "name": "Sam Rivera"]
                child["recording_url"] = NSNull()
                child["updated_at"] = iso(start.addingTimeInterval(128))
                out.append(Encoded(id: childID, updatedAt: start.addingTimeInterval(128), object: child))
            }
        }
        return out
    }
}
