import CalltrailCore
import CalltrailJSON
import CalltrailStore
import CalltrailVendors
import Foundation
import Testing

@Suite struct HostileRecordTests {
    let mapper = UContactRecordMapper(source: "ucontact", timeZone: TimeZone(identifier: "America/Montevideo")!)

    @Test func deeplyNestedAndOversizedRecordsAreRefusedOneByOne() throws {
        let deep = #"{"guid":"g","calldate":"2016-01-18 10:00:00","data":"# + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}"
        let huge = #"{"guid":"h","calldate":"2016-01-18 10:00:00","data":""# + String(repeating: "x", count: 2 << 20) + #""}"#
        let fine = #"{"guid":"ok","calldate":"2016-01-18 10:00:00","duration":5,"billsec":0,"disposition":"NO ANSWER"}"#
        let page = "[" + [deep, huge, fine].joined(separator: ",") + "]"
        let results = try JSONArraySplitter.elements(of: Data(page.utf8)).map(mapper.decode)
        #expect(results.count == 3)
        #expect(results[0].failure?.decodeError == "record nests deeper than 32 levels")
        #expect(results[1].failure?.decodeError == "record of \(huge.utf8.count) bytes is larger than 1048576 bytes")
        #expect(results[2].call?.callID == "ok")
    }

    @Test func numbersOutOfRangeAreRefusedPerRecord() throws {
        let decoded = mapper.decode(Data(#"{"guid":"n","calldate":"2016-01-18 10:00:00","duration":1e308,"billsec":0}"#.utf8))
        #expect(decoded.call == nil)
        #expect(decoded.failure?.decodeError?.hasPrefix("duration") == true)
    }
}

/// The hand-written parser behind every vendor record: strict JSON, the same values Foundation reads.
