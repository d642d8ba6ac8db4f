import Foundation
import Synchronization

/// Reads one zone's wall-clock times as instants, remembering each local hour's offset: every vendor
/// record carries such a time, and `TimeZone.secondsFromGMT` goes through ICU, ≈ 1 µs a call and
/// two or three calls a conversion. An hour whose start and end disagree (a DST change inside it)
/// is never remembered and always converted exactly.
public final class ZoneClock: Sendable {
    public let timeZone: TimeZone
    private let offsets = Mutex<[Int: Int]>([:])

    public init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    public func date(_ local: LocalDateTime) -> Date {
        let naive = local.secondsAsIfUTC
        let hour = LocalDateTime.floorDiv(naive, 3600)
        if let offset = offsets.withLock({ $0[hour] }) { return Date(timeIntervalSince1970: Double(naive - offset)) }
        let first = hour * 3600 - LocalDateTime.instant(naive: hour * 3600, in: timeZone)
        let last = hour * 3600 + 3599 - LocalDateTime.instant(naive: hour * 3600 + 3599, in: timeZone)
        guard first == last else { return local.date(in: timeZone) }
        offsets.withLock { table in
            if table.count > 100_000 { table.removeAll() }  // a century of hours: bounded all the same
            table[hour] = first
        }
        return Date(timeIntervalSince1970: Double(naive - first))
    }

    public func date(_ point: TimePoint) -> Date {
        switch point {
        case .local(let local): date(local)
        case .absolute(let date, _): date
        }
    }
}
