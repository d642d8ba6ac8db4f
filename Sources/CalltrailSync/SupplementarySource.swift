import CalltrailStore
import Foundation

/// A source with data beside its records: reference lists (agent names, number aliases) that reports
/// use for labels, or the platform's own figures. Synced after the records, in the same run. They are
/// optional: what fails is returned as a warning for the run, never a failed run.
public protocol SupplementarySource: RecordSource {
    /// Syncs the supplements for the calls of `period` (nil: the run read no window); returns one
    /// line per part that failed.
    func syncSupplements(into store: CallStore, period: DateInterval?) async -> [String]
}
