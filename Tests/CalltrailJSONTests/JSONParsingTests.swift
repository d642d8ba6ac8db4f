import CalltrailJSON
import Foundation
import Testing

@Suite struct JSONParsingTests {
    @Test func readsWhatJSONSerializationReads() throws {
        let documents = [
            #"{"a":1,"b":-0.5,"c":"x\"y\\z\/\n\t\u00e9\ud83d\ude00","d":[true,false,null],"e":{},"f":[],"g":1.5e3,"h":-123456789012345}"#,
            #"  [ 1 , "two" , { "three" : [ 3 ] } ]  "#,
            #""plain""#, "0", "-0", "3.25E-2", "12345678901234", "\"ünïcödé ✓\"",
        ]
        for document in documents {
            let ours = try JSONValue.parse(Data(document.utf8))
            let foundation = try JSONSerialization.jsonObject(with: Data(document.utf8), options: .fragmentsAllowed)
            #expect(NSDictionary(dictionary: ["v": ours.foundationObject]) == NSDictionary(dictionary: ["v": foundation]), "\(document)")
        }
    }

    @Test func refusesWhatIsNotJSON() {
        let bad = [
            "", "{", "[1,]", #"{"a":1,}"#, "01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity", "tru", "nul",
            #"{"a" 1}"#, #"{a:1}"#, "'x'", "\"tab\there\"", #""\x""#, #""\ud800""#, #""\ud800\u0041""#, "1 2",
            "[1e400]", "\"\u{7}\"",
        ]
        for document in bad {
            #expect(throws: (any Error).self, "\(document)") { try JSONValue.parse(Data(document.utf8)) }
        }
        #expect(throws: (any Error).self) { try JSONValue.parse(Data([0x22, 0xC3, 0x28, 0x22])) }  // invalid UTF-8
    }

    @Test func boundsNestingPerRecord() throws {
        let nested = { (depth: Int) in String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        #expect(throws: JSONValue.RecordProblem.tooDeep(32)) { try JSONValue.parseRecord(Data(nested(33).utf8)) }
        _ = try JSONValue.parseRecord(Data(nested(32).utf8))
        #expect(throws: JSONValue.RecordProblem.notJSON) { try JSONValue.parseRecord(Data("[1,]".utf8)) }
    }
}
