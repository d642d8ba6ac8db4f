import Foundation

/// Generates a seeded call-center history: arrivals follow the daily curve (a thinned Poisson
/// process), each caller has a patience, so some abandon (a few within seconds), the rest are
/// answered after a wait that grows with the load, and talk and hold times vary per call.
public struct TrafficGenerator: Sendable {
    public var model: CallCenterModel
    public var seed: UInt64

    public init(model: CallCenterModel = .standard, seed: UInt64) {
        self.model = model
        self.seed = seed
    }

    /// Calls that start in `[start, end)`, sorted by start time. `timeZone` places the curve's hours.
    public func calls(from start: Date, to end: Date, timeZone: TimeZone) -> [SimulatedCall] {
        var random = SeededRandom(seed: seed)
        var calls: [SimulatedCall] = []
        let peak = model.hourlyCurve.max() ?? 1
        let curveTotal = model.hourlyCurve.reduce(0, +)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        for inbound in [true, false] {
            let perDay = inbound ? model.inboundPerDay : model.outboundPerDay
            // Calls per second at the curve's peak hour: the envelope of the thinning.
            let peakRate = perDay * peak / curveTotal / 3600
            var t = start.timeIntervalSince1970
            while true {
                t += random.exponential(mean: 1 / peakRate)
                guard t < end.timeIntervalSince1970 else { break }
                let date = Date(timeIntervalSince1970: t)
                let hour = calendar.component(.hour, from: date)
                let weekend = calendar.isDateInWeekend(date)
                let rate = model.hourlyCurve[hour] / peak * (weekend ? model.weekendFactor : 1)
                guard random.unit() < rate else { continue }
                calls.append(call(at: date.addingTimeInterval(-date.timeIntervalSince1970.truncatingRemainder(dividingBy: 1)),
                                  inbound: inbound, load: rate, random: &random))
            }
        }
        return Self.followUps(calls.sorted { ($0.start, $0.guid) < ($1.start, $1.guid) })
    }

    /// Every `followUpEvery`-th outbound call rings back the last customer answered inbound before it,
    /// as a follow-up does: one number then has calls in both directions (what a case sync for a
    /// number must find). Done after generation, so the seeded draws stay as they were.
    static let followUpEvery = 20

    static func followUps(_ sorted: [SimulatedCall]) -> [SimulatedCall] {
        var calls = sorted
        var lastAnswered: String?
        var outbound = 0
        for index in calls.indices {
            if calls[index].inbound {
                if calls[index].fate == .answered { lastAnswered = calls[index].customerNumber }
                continue
            }
            outbound += 1
            if outbound % followUpEvery == 0, let number = lastAnswered {
                calls[index].customerNumber = number
                lastAnswered = nil
            }
        }
        return calls
    }

    func call(at date: Date, inbound: Bool, load: Double, random: inout SeededRandom) -> SimulatedCall {
        let candidates = model.campaigns.filter { $0.inbound == inbound }
        var pick = random.unit() * candidates.reduce(0) { $0 + $1.weight }
        var campaign = candidates[0]
        for candidate in candidates {
            pick -= candidate.weight
            if pick <= 0 { campaign = candidate; break }
        }
        let customer = "09" + random.digits(7)
        let guid = random.guid()
        let agent = random.pick(campaign.agents)
        let talk = Int(min(3600, max(8, random.logNormal(median: 170, sigma: 0.7))))
        let hold = random.chance(0.25) ? Int(10 + random.unit() * 110) : 0

        if inbound {
            if random.chance(0.01) {
                return SimulatedCall(guid: guid, start: date, campaign: campaign.name, inbound: true, agent: nil,
                                     customerNumber: customer, did: campaign.did, waitS: 0, talkS: 0, holdS: 0, fate: .failed)
            }
            let wait = Int(random.exponential(mean: model.meanWait(load: load)))
            // One caller in twenty hangs up within seconds (misdials); the rest hold out about two minutes.
            let patience = random.chance(0.05) ? Int(random.unit() * 6) : Int(random.exponential(mean: 120))
            if patience < wait {
                return SimulatedCall(guid: guid, start: date, campaign: campaign.name, inbound: true, agent: nil,
                                     customerNumber: customer, did: campaign.did, waitS: patience, talkS: 0, holdS: 0, fate: .abandoned)
            }
            return SimulatedCall(guid: guid, start: date, campaign: campaign.name, inbound: true, agent: agent,
                                 customerNumber: customer, did: campaign.did, waitS: wait, talkS: talk + hold, holdS: hold, fate: .answered)
        }
        let ring = Int(4 + random.unit() * 26)
        if random.chance(0.6) {
            return SimulatedCall(guid: guid, start: date, campaign: campaign.name, inbound: false, agent: agent,
                                 customerNumber: customer, did: campaign.did, waitS: ring, talkS: talk, holdS: 0, fate: .outboundAnswered)
        }
        let busy = random.chance(0.3)
        return SimulatedCall(guid: guid, start: date, campaign: campaign.name, inbound: false, agent: agent,
                             customerNumber: customer, did: campaign.did, waitS: busy ? 2 : ring, talkS: 0, holdS: 0,
                             fate: busy ? .outboundBusy : .outboundUnanswered)
    }
}
