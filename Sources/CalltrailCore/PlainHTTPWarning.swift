import Foundation
import Synchronization

/// A configured `http://` URL to a host other than this machine: credentials, call records and
/// recordings would cross the network unencrypted. Said once per host and run on stderr, whatever
/// `--quiet` says (it is about the configuration, not the run), and `--insecure` does not silence it:
/// that flag is about certificate checks, this is about having no TLS at all.
public enum PlainHTTPWarning {
    private static let warned = Mutex<Set<String>>([])

    public static func note(_ url: URL, key: String, context: String) {
        guard let host = url.host, !LoopbackHost.contains(host) else { return }
        let first = warned.withLock { $0.insert(host.lowercased()).inserted }
        guard first else { return }
        FileHandle.standardError.write(Data(
            "calltrail: warning: \(context): \(key) uses http:// to \(host): credentials and calls cross the network unencrypted; use https://\n".utf8))
    }
}
