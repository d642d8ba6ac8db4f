import CalltrailCore
import CalltrailHTTP

extension SourceError {
    /// Runs `read` (which reads a page's own numbers: its total, its page count) and turns a number
    /// that fails its check into an error for that page: recorded in the run, retried next run.
    public static func checkingPage<T>(source: String, url: String, _ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let invalid as CheckedNumber.Invalid {
            throw SourceError.protocolViolation(source: source, url: url, detail: "\(invalid)")
        }
    }
}
