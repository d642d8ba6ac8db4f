import Foundation

/// One call of the simulated history, before any vendor's encoding.
public struct SimulatedCall: Sendable, Equatable {
    public enum Fate: String, Sendable {
        case answered, abandoned, failed
        case outboundAnswered, outboundUnanswered, outboundBusy
    }

    public var guid: String
    /// When the call reached the campaign (inbound) or was dialled (outbound).
    public var start: Date
    public var campaign: String
    public var inbound: Bool
    public var agent: String?
    public var customerNumber: String
    public var did: String
    /// Seconds in queue (inbound) or ringing (outbound) before the answer or the hang-up.
    public var waitS: Int
    /// Connected time, hold included.
    public var talkS: Int
    public var holdS: Int
    public var fate: Fate
}
