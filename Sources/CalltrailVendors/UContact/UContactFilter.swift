import CalltrailCore
import Foundation

/// The keys of getrecords' `filter` a source may set, as seed 003 documents them (`agent`,
/// `campaign`, `source`, `destination`, `data` the call's tag, `range` the hour range, `rating`,
/// `mindur` the minimum duration, `exclude` a number left out, `cont` how many times at least the
/// number appears in the range). Sent beside the window's `calldatei`/`calldatef`; the documented
/// sample writes every value as a string, so numbers are sent as strings too.
public struct UContactFilter: Sendable, Equatable {
    static let textKeys = ["agent", "campaign", "source", "destination", "data", "range", "rating", "exclude"]
    static let numberKeys = ["mindur", "cont"]
    static var allowed: String { (textKeys + numberKeys).joined(separator: ", ") }

    /// Key → the value sent; keys not set are sent empty (no filter), as the documented sample does.
    public var values: [String: String] = [:]

    public init(_ values: [String: String] = [:]) { self.values = values }

    init(reading reader: TableReader?) throws {
        guard let reader else { return }
        for key in reader.keys {
            if Self.textKeys.contains(key) {
                values[key] = try reader.string(key, example: key == "campaign" ? "Ventas->" : "…")
            } else if Self.numberKeys.contains(key) {
                values[key] = String(try reader.int(key, default: key == "mindur" ? 10 : 2, range: 0...864_000))
            } else {
                throw CalltrailError.configuration(
                    "\(reader.context): uContact's getrecords has no filter key \(key): use one of \(Self.allowed) (seed 003)")
            }
        }
    }

    /// The `filter` object for one window.
    func object(from: LocalDateTime, to: LocalDateTime) -> [String: String] {
        var object = ["calldatei": from.description, "calldatef": to.description, "type": "record"]
        for key in Self.textKeys + Self.numberKeys { object[key] = values[key] ?? "" }
        return object
    }
}
