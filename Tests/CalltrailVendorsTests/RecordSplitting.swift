import CalltrailJSON
import CalltrailSync
import CalltrailVendors
import Foundation

extension JSONArraySplitter {
    /// Each element's bytes as a buffer of its own, as the mapping tests read a fixture.
    static func elements(of data: Data) throws -> [Data] {
        try data.withUnsafeBytes { raw in try elements(in: raw).map { Data(raw[$0]) } }
    }
}

// The mappings read a record from a page's bytes; the tests hand them one record at a time.
extension UContactRecordMapper {
    func decode(_ bytes: Data) -> DecodedRecord { bytes.withUnsafeBytes { decode($0) } }
}

extension CCAIRecordMapper {
    func decode(_ bytes: Data) -> DecodedRecord { bytes.withUnsafeBytes { decode($0) } }
}

extension MeiqiaRecordMapper {
    func decode(_ bytes: Data) -> DecodedRecord { bytes.withUnsafeBytes { decode($0) } }
}

extension VonageRecordMapper {
    func decode(_ bytes: Data, queueTimes: [String: VonageQueueTime]) -> DecodedRecord {
        bytes.withUnsafeBytes { decode($0, queueTimes: queueTimes) }
    }
}
