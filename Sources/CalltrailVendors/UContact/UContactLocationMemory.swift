import Foundation
import Synchronization

/// Where a run last found a recording, per day folder and format. uContact keeps a day's recordings in
/// one of its four locations (moved to the backup server together, seed 003), so the location that
/// served the day's last hit is probed first, and for a day not seen yet the one that served the last
/// hit of any day. An MP3 at the learned location is downloaded without a probe: a file at the last of
/// the four costs one request instead of five.
final class UContactLocationMemory: Sendable {
    private struct Hits {
        var byDay: [String: UContactRecordingLocation.Label] = [:]
        var latest: [String: UContactRecordingLocation.Label] = [:]
    }

    private let hits = Mutex(Hits())

    /// The location learned for `day` and `ext` (else for `ext` on any day), when one is.
    func learned(_ locations: [UContactRecordingLocation], day: String, ext: String) -> UContactRecordingLocation? {
        let label = hits.withLock { $0.byDay[ext + "/" + day] ?? $0.latest[ext] }
        return locations.first { $0.label == label }
    }

    /// `locations` with the learned one for `day` and `ext` first, the rest in their configured order.
    func order(_ locations: [UContactRecordingLocation], day: String, ext: String) -> [UContactRecordingLocation] {
        let learned = hits.withLock { $0.byDay[ext + "/" + day] ?? $0.latest[ext] }
        guard let learned, let index = locations.firstIndex(where: { $0.label == learned }), index > 0 else { return locations }
        var ordered = locations
        ordered.insert(ordered.remove(at: index), at: 0)
        return ordered
    }

    func found(_ label: UContactRecordingLocation.Label, day: String, ext: String) {
        hits.withLock { hits in
            hits.byDay[ext + "/" + day] = label
            hits.latest[ext] = label
        }
    }
}
