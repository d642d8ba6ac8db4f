import CalltrailCore
import CalltrailJSON
import CalltrailSources
import CalltrailStore
import Foundation
import Testing

@Suite struct JSONArraySplitterTests {
    @Test func keepsEachElementsExactBytes() throws {
        let text = #" [ {"a": "x,]}\"{"}, [1, [2]] ,"s", 3.5, null ,{"b":{"c":[]}} ] "#
        let parts = try JSONArraySplitter.elements(of: Data(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(parts == [#"{"a": "x,]}\"{"}"#, "[1, [2]]", #""s""#, "3.5", "null", #"{"b":{"c":[]}}"#])
    }

    @Test func emptyArrayHasNoElements() throws {
        #expect(try JSONArraySplitter.elements(of: Data("[]".utf8)).isEmpty)
        #expect(try JSONArraySplitter.elements(of: Data(" [ \n ] ".utf8)).isEmpty)
    }

    @Test func nonArraysAndTruncatedBodiesAreRefused() {
        #expect(throws: JSONArraySplitter.Failure.notAnArray) { try JSONArraySplitter.elements(of: Data("0".utf8)) }
        #expect(throws: JSONArraySplitter.Failure.notAnArray) { try JSONArraySplitter.elements(of: Data("<html>".utf8)) }
        #expect(throws: JSONArraySplitter.Failure.unterminated) { try JSONArraySplitter.elements(of: Data(#"[{"a":1},{"b""#.utf8)) }
    }
}
