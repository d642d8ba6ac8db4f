extension String {
    /// The first `limit` characters on one line: vendor bodies quoted in errors stay short.
    public func oneLine(limit: Int = 160) -> String {
        let flat = split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}
