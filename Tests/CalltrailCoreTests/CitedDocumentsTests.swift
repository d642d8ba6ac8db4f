import Foundation
import Testing

/// Every document a comment in Sources/ or Tests/ names exists in the repository, and every section a
/// comment quotes after a document's name (the name, a comma or 's, then the heading in double quotes)
/// is a heading of that document: a reader following a citation finds what it points at. A name
/// without a folder is looked for at the root and in docs/; a path that leaves the repository fails.
@Suite struct CitedDocumentsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// A comment (Swift's line comments, and SQL's in .sql files and in Swift strings) and the line it
    /// starts on; consecutive comment lines are one comment, so a citation may wrap.
    struct Comment {
        let file: String
        let line: Int
        let text: String
    }

    static func comments() throws -> [Comment] {
        var found: [Comment] = []
        for folder in ["Sources", "Tests"] {
            let base = root.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk where ["swift", "sql"].contains(url.pathExtension) {
                let file = folder + "/" + url.standardized.path.dropFirst(base.standardized.path.count + 1)
                var text: [String] = []
                var start = 0
                let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
                for (index, line) in lines.enumerated() {
                    if let comment = commentPart(of: line) {
                        if text.isEmpty { start = index + 1 }
                        text.append(comment)
                    } else if !text.isEmpty {
                        found.append(Comment(file: file, line: start, text: text.joined(separator: " ")))
                        text = []
                    }
                }
                if !text.isEmpty { found.append(Comment(file: file, line: start, text: text.joined(separator: " "))) }
            }
        }
        return found
    }

    /// The text after a line's `//` or SQL `-- `, nil for a line without a comment.
    static func commentPart(of line: String) -> String? {
        let starts = [line.range(of: "//"), line.range(of: "-- ")].compactMap { $0 }
        guard let first = starts.min(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
        return line[first.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "/!").union(.whitespaces))
    }

    /// The repository's file a cited name stands for; nil when there is none, or it would lie outside.
    static func document(_ name: String) -> URL? {
        let candidates = name.contains("/") ? [name] : [name, "docs/" + name]
        for candidate in candidates {
            let url = root.appendingPathComponent(candidate).standardized
            guard url.path.hasPrefix(root.path + "/") else { continue }
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }

    /// The text of each markdown heading (`#` to `######`) outside fenced code.
    static func headings(of url: URL) throws -> [String] {
        var fenced = false
        var headings: [String] = []
        for line in try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n") {
            if line.hasPrefix("```") { fenced.toggle(); continue }
            if !fenced, let match = line.wholeMatch(of: /#{1,6}\s+(.+?)\s*/) { headings.append(String(match.1)) }
        }
        return headings
    }

    /// A quoted section is a heading when it is the heading's text, or that text without its closing
    /// parenthesis (`uContact` for "uContact (`Integra/resources/Cdr/getrecords`)").
    static func isHeading(_ quoted: String, of headings: [String]) -> Bool {
        headings.contains { $0 == quoted || $0.hasPrefix(quoted + " (") }
    }

    /// Where the comments cite a document or a section that is not there, one line each.
    static func brokenCitations(in comments: [Comment]) throws -> [String] {
        var broken: [String] = []
        for comment in comments {
            for match in comment.text.matches(of: /(?:^|[^\w\/.-])((?:[\w.-]+\/)*[\w-]+\.md)\b((?:,|'s)?\s+"([^"]+)")?/) {
                let name = String(match.1)
                guard let url = document(name) else {
                    broken.append("\(comment.file):\(comment.line) cites \(name), which is not in the repository")
                    continue
                }
                if let section = match.3.map(String.init), !isHeading(section, of: try headings(of: url)) {
                    broken.append("\(comment.file):\(comment.line) cites \(name), \"\(section)\", which is no heading of it")
                }
            }
        }
        return broken
    }

    @Test func everyCitedDocumentAndSectionExists() throws {
        let comments = try Self.comments()
        #expect(comments.count > 1000, "the scan found only \(comments.count) comments under Sources/ and Tests/")
        let broken = try Self.brokenCitations(in: comments)
        #expect(broken.isEmpty, "\(broken.count) broken citations: \(broken.joined(separator: "; "))")
    }

    /// The check itself finds what it is for: a missing document, a missing section, a path leaving the
    /// repository, and it accepts a real section quoted without its parenthesis.
    @Test func theCheckFindsBrokenCitations() throws {
        let cited = ["DESIGN", "docs/VENDORS", "docs/VENDORS", "docs/VENDORS", "../shared/NOTES", "NOTES", "METRICS"]
            .map { $0 + ".md" }
        let comments = [
            Comment(file: "a", line: 1, text: "as \(cited[0]) says"),
            Comment(file: "b", line: 2, text: "(\(cited[1]), \"uContact\")"),
            Comment(file: "c", line: 3, text: "(\(cited[2]), \"Meiqia mapping\")"),
            Comment(file: "d", line: 4, text: "\(cited[3])'s \"Data quality\""),
            Comment(file: "e", line: 5, text: "see \(cited[4])"),
            Comment(file: "f", line: 6, text: "see \(cited[5])"),
            Comment(file: "g", line: 7, text: "\(cited[6]) defines it"),
        ]
        let broken = try Self.brokenCitations(in: comments)
        #expect(broken.map { String($0.prefix(1)) } == ["c", "e", "f"], "\(broken)")
    }
}
