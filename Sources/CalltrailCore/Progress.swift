/// What the long stages report as they go, for progress bars or log lines.
public enum ProgressEvent: Sendable, Equatable {
    /// A page of `source` was read: the run's pages and records so far, and its windows being read.
    case syncPage(source: String, pages: Int, records: Int, windowsInFlight: Int)
    /// A recording was resolved: `done` of `total` for this run.
    case recording(done: Int, total: Int)
}

public typealias ProgressHandler = @Sendable (ProgressEvent) -> Void
