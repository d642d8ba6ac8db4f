import Foundation

/// The package's Swift sources as the boundary tests read them: each file's path from the package root
/// and its code without comments.
enum SourceTree {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// `text` without `/* */` blocks and without lines that are `//` or `///` comments.
    static func code(_ text: String) -> String {
        text.replacing(/\/\*(.|\n)*?\*\//, with: "")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .joined(separator: "\n")
    }

    /// Every Swift file under Sources/: its path (`Sources/Module/…`) and its code's lines.
    static func swiftFiles() throws -> [(path: String, lines: [Substring])] {
        let sources = root.appendingPathComponent("Sources")
        guard let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, [Substring])] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let path = String(url.standardized.path.dropFirst(root.path.count + 1))
            files.append((path, code(try String(contentsOf: url, encoding: .utf8)).split(separator: "\n")))
        }
        return files
    }
}
