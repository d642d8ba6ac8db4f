import CalltrailJSON
import Foundation
import Testing

@Suite struct JSONArraySplitterTests {
    /// The elements of `text`'s array, each as the text of its bytes.
    static func elements(_ text: String) throws -> [String] {
        try Data(text.utf8).withUnsafeBytes { raw in
            try JSONArraySplitter.elements(in: raw).map { String(decoding: raw[$0], as: UTF8.self) }
        }
    }

    @Test func keepsEachElementsExactBytes() throws {
        let text = #" [ {"a": "x,]}\"{"}, [1, [2]] ,"s", 3.5, null ,{"b":{"c":[]}} ] "#
        let parts = try Self.elements(text)
        #expect(parts == [#"{"a": "x,]}\"{"}"#, "[1, [2]]", #""s""#, "3.5", "null", #"{"b":{"c":[]}}"#])
    }

    @Test func emptyArrayHasNoElements() throws {
        #expect(try Self.elements("[]").isEmpty)
        #expect(try Self.elements(" [ \n ] ").isEmpty)
    }

    @Test func nonArraysAndTruncatedBodiesAreRefused() {
        #expect(throws: JSONArraySplitter.Failure.notAnArray) { try Self.elements("0") }
        #expect(throws: JSONArraySplitter.Failure.notAnArray) { try Self.elements("<html>") }
        #expect(throws: JSONArraySplitter.Failure.unterminated) { try Self.elements(#"[{"a":1},{"b""#) }
    }
}
