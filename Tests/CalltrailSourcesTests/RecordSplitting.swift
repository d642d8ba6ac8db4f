import CalltrailSources
import Foundation

extension JSONArraySplitter {
    /// Each element's bytes as a buffer of its own, as the mapping tests read a fixture.
    static func elements(of data: Data) throws -> [Data] {
        try data.withUnsafeBytes { raw in try elements(in: raw).map { Data(raw[$0]) } }
    }
}
