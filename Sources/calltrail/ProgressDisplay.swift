import CalltrailCore
import Foundation
import Logging
import Synchronization

/// Shows progress: on a terminal a line redrawn in place (pages and records per source with their
/// rate; recordings as a bar with rate and ETA), without one (cron, CI) a log line every 10 seconds,
/// with `--quiet` nothing.
final class ProgressDisplay: Sendable {
    private struct State {
        var sources: [String: (pages: Int, records: Int, windows: Int)] = [:]
        var recordings: (done: Int, total: Int)?
        var started = Date()
        var recordingsStarted: Date?
        var lastDraw = Date.distantPast
    }

    private let state = Mutex(State())
    private let terminal: Bool
    private let enabled: Bool
    private let logger: Logger

    init(quiet: Bool, logger: Logger) {
        self.terminal = isatty(STDERR_FILENO) == 1
        self.enabled = !quiet
        self.logger = logger
    }

    var handler: ProgressHandler? {
        guard enabled else { return nil }
        return { @Sendable [self] event in self.update(event) }
    }

    func update(_ event: ProgressEvent) {
        let line: String? = state.withLock { state in
            switch event {
            case .syncPage(let source, let pages, let records, let windows): state.sources[source] = (pages, records, windows)
            case .recording(let done, let total):
                if state.recordingsStarted == nil { state.recordingsStarted = Date() }
                state.recordings = (done, total)
            }
            let now = Date()
            let interval: TimeInterval = terminal ? 0.2 : 10
            guard now.timeIntervalSince(state.lastDraw) >= interval else { return nil }
            state.lastDraw = now
            return Self.render(state, now: now)
        }
        guard let line else { return }
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        } else {
            logger.notice("progress: \(line)")
        }
    }

    /// Ends the redrawn line so the next output starts on a clean one.
    func finish() {
        if terminal && enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private static func render(_ state: State, now: Date) -> String {
        if let (done, total) = state.recordings, let started = state.recordingsStarted {
            let seconds = max(now.timeIntervalSince(started), 0.001)
            let rate = Double(done) / seconds
            let width = 24
            let filled = total > 0 ? min(width, width * done / total) : 0
            let eta = rate > 0 ? Double(total - done) / rate : 0
            return "recordings [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(done)/\(total) "
                + String(format: "%.1f/s, ETA %.0f s", rate, eta)
        }
        let seconds = max(now.timeIntervalSince(state.started), 0.001)
        return "sync " + state.sources.sorted { $0.key < $1.key }.map { source, counts in
            "\(source) \(counts.pages) pages \(counts.records) records (" + String(format: "%.0f/s", Double(counts.records) / seconds)
                + ", \(counts.windows) \(counts.windows == 1 ? "window" : "windows") in flight)"
        }.joined(separator: " · ")
    }
}
