import CalltrailCore

extension JSONValue {
    /// This value as a vendor's count (a total, a page count, a campaign's calls), through the one
    /// checked conversion: a number or numeric string that is whole and from 0 to 10⁹, or an error naming
    /// `field` and the value as sent.
    public func count(field: String) throws -> Int {
        try CheckedNumber.integer(number, field: field, in: CheckedNumber.counts, shown: text ?? "\(self)")
    }
}

extension Optional where Wrapped == JSONValue {
    /// The count, or nil when the vendor left the field out or sent null.
    public func count(field: String) throws -> Int? {
        guard let value = self, value != .null else { return nil }
        return try value.count(field: field)
    }
}
