import ArgumentParser
import CalltrailCore
import CalltrailNightly
import CalltrailStore
import Foundation
import Logging

/// `--from`/`--to`, checked for form in `validate()` and resolved in the center's time zone.
struct RangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start of the range (inclusive), in the center's time zone unless an offset is given.",
                               discussion: "Forms: \(TimePoint.accepted). Default: the source's cursor minus its lookback."))
    var from: String?

    @Option(help: "End of the range (exclusive). Default: now minus the source's settle delay.")
    var to: String?

    func validate() throws {
        let from = try from.map { try Self.parse($0, option: "--from") }
        let to = try to.map { try Self.parse($0, option: "--to") }
        if let from, let to {
            // Without the configuration the zone is unknown; UTC orders the wall clocks the same way.
            let utc = TimeZone(identifier: "UTC")!
            if case .local = from, case .local = to, from.date(in: utc) >= to.date(in: utc) {
                throw ValidationError("--from \(from) is not before --to \(to): swap them or widen the range")
            }
        }
    }

    static func parse(_ text: String, option: String) throws -> TimePoint {
        guard let point = TimePoint(parsing: text) else {
            throw ValidationError("\(option) '\(text)' is not a date: use \(TimePoint.accepted)")
        }
        return point
    }

    /// The range as instants in `timeZone`.
    func resolve(in timeZone: TimeZone) throws -> (from: Date?, to: Date?) {
        let from = try from.map { try Self.parse($0, option: "--from").date(in: timeZone) }
        let to = try to.map { try Self.parse($0, option: "--to").date(in: timeZone) }
        if let from, let to, from >= to {
            throw CalltrailError.configuration("--from \(self.from!) is not before --to \(self.to!): swap them or widen the range")
        }
        return (from, to)
    }
}

/// `--wait SECONDS`: the commands that write the database or the archive share one run lock; a second
/// one exits 3 at once, or waits up to SECONDS for the first to finish.
struct LockOptions: ParsableArguments {
    @Option(name: .customLong("wait"), help: ArgumentHelp("Wait up to SECONDS for another calltrail run over this database to finish (default: exit 3 at once).",
                                                         valueName: "SECONDS"))
    var seconds: Double = 0

    func validate() throws {
        guard seconds.isFinite, (0...86_400).contains(seconds) else {
            throw ValidationError("--wait \(seconds) is out of range: use 0 to 86400 seconds")
        }
    }

    /// Takes the run lock of `configuration`'s database (exit 3 naming the holder when it cannot).
    func take(_ configuration: Configuration) throws -> RunLock {
        try RunLock(path: RunLock.path(forDatabase: configuration.databasePath), wait: seconds)
    }
}

struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log each window, retry and re-read to stderr.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "No progress and no log lines but errors.")
    var quiet = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose contradict each other: pick one") }
    }

    /// Logs go to stderr through swift-log: warnings by default, progress notices every 10 s when
    /// stderr is not a terminal, everything with --verbose, errors only with --quiet.
    func makeLogger(_ label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = quiet ? .error : (verbose ? .info : .notice)
        return logger
    }
}

/// `--insecure`: for lab servers with self-signed certificates; warns every time.
struct TLSOptions: ParsableArguments {
    @Flag(help: "Do not verify TLS certificates (lab servers only; prints a warning).")
    var insecure = false

    func apply(to configuration: inout Configuration) {
        guard insecure else { return }
        configuration.insecureTLS = true
        FileHandle.standardError.write(Data("calltrail: warning: --insecure: TLS certificates are not verified; use it only against lab servers\n".utf8))
    }
}

extension Configuration {
    /// A `--number` as E.164 under `[compliance] country_code` and `trunk_prefix`; one that is no
    /// number under them is refused (exit 2) with why.
    func customerNumber(_ given: String) throws -> String {
        do {
            return try compliance.numberPlan.normalize(given: given)
        } catch let invalid as NumberPlan.Invalid {
            throw CalltrailError.configuration("--number \(invalid.description)")
        }
    }

    /// The store, with what keys and anchors the audit rows it writes ([compliance] key_file, anchor_file).
    func auditedStore() throws -> CallStore {
        try CallStore(path: databasePath, audit: AuditTrail(configuration: self))
    }

    /// The compliance key ([compliance] key_file), created 0600 on first use.
    func subjectKey() throws -> SubjectKey {
        do {
            return try SubjectKey.load(path: compliance.keyFile)
        } catch let error as SubjectKeyError {
            throw CalltrailError.configuration(error.message)
        }
    }
}
