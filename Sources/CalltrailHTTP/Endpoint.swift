import Foundation

/// Vendor URLs built one way: a configured base (with or without a trailing slash, perhaps with a
/// path of its own) joined with the vendor's path and query.
public enum Endpoint {
    /// `base` + `/` + `path`, with exactly one slash between them.
    public static func join(_ base: URL, _ path: String) -> String {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        var tail = Substring(path)
        while tail.hasPrefix("/") { tail.removeFirst() }
        return tail.isEmpty ? text : text + "/" + tail
    }

    /// The same with a query string, each name and value percent-encoded.
    public static func join(_ base: URL, _ path: String, query: [(String, String)]) -> String {
        let joined = join(base, path)
        guard !query.isEmpty else { return joined }
        var components = URLComponents()
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` is a space to many servers: encode it, as form encoding does.
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return joined + "?" + encoded
    }
}
