import Foundation

/// getrecords' `filter` keys as seed 003 documents them, applied to the simulated history: exact
/// match where the seed gives no rule (`agent`, `campaign`, `source`, `destination`), `mindur` a
/// minimum duration in seconds, `exclude` a number left out, `cont` the minimum number of calls of
/// the same number in the range. `data` (the call's tag), `range` and `rating` name nothing the
/// simulated calls carry, so a value there matches no call. A key the seed does not list makes the
/// filter invalid: uContact answers `0` with status 200.
struct GetRecordsFilter {
    static let documented: Set<String> = [
        "calldatei", "calldatef", "agent", "campaign", "source", "destination", "data", "range", "rating",
        "mindur", "exclude", "type", "cont",
    ]
    var text: [String: String] = [:]
    var minDuration = 0
    var cont = 0

    init?(_ filter: [String: Any]) {
        guard Set(filter.keys).isSubset(of: Self.documented) else { return nil }
        for (key, value) in filter {
            let string: String
            switch value {
            case let text as String: string = text
            case let number as NSNumber: string = number.stringValue
            default: return nil
            }
            guard !string.isEmpty else { continue }
            switch key {
            case "mindur", "cont":
                guard let number = Int(string), number >= 0 else { return nil }
                if key == "mindur" { minDuration = number } else { cont = number }
            case "calldatei", "calldatef", "type": continue
            default: text[key] = string
            }
        }
    }

    func admits(_ call: SimulatedCall) -> Bool {
        let source = call.inbound ? call.customerNumber : call.did
        let destination = call.inbound ? call.did : call.customerNumber
        for (key, value) in text {
            switch key {
            case "agent": if call.agent != value { return false }
            case "campaign": if call.campaign != value { return false }
            case "source": if source != value { return false }
            case "destination": if destination != value { return false }
            case "exclude": if call.customerNumber == value { return false }
            default: return false
            }
        }
        return call.waitS + call.talkS >= minDuration
    }
}
