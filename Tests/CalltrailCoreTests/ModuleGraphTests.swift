import Foundation
import Testing

/// docs/DESIGN.md's module graph is Package.swift's: each target of the package (test targets aside)
/// depends on exactly the targets the graph lists for it, so the picture a newcomer reads is the build.
@Suite struct ModuleGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// Each `.target`, `.executableTarget` and `.systemLibrary` of Package.swift with the package's own
    /// targets in its `dependencies` (products of other packages left out).
    static func declared() throws -> [String: Set<String>] {
        var text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        text = text.replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
        var graph: [String: Set<String>] = [:]
        let starts = text.ranges(of: /\n        \.(target|executableTarget|systemLibrary|testTarget)\(/)
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].lowerBound : text.endIndex
            let block = text[start.lowerBound..<end]
            guard !block.contains(".testTarget("), !block.contains("path: \"Tests/"), let name = block.firstMatch(of: /name:\s*"([^"]+)"/)?.1 else { continue }
            var dependencies: Set<String> = []
            if let list = block.firstMatch(of: /dependencies:\s*\[([^\]]*)\]/)?.1 {
                for match in list.matches(of: /"([^"]+)"/) { dependencies.insert(String(match.1)) }
            }
            graph[String(name)] = dependencies
        }
        return graph
    }

    /// The ```module-graph block of docs/DESIGN.md: `Target: Dependency Dependency …` a line.
    static func drawn() throws -> [String: Set<String>] {
        let design = try String(contentsOf: root.appendingPathComponent("docs/DESIGN.md"), encoding: .utf8)
        let block = try #require(design.firstMatch(of: /```module-graph\n([^`]*)```/)?.1)
        var graph: [String: Set<String>] = [:]
        for line in block.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            graph[String(parts[0])] = Set((parts.count > 1 ? parts[1] : "").split(separator: " ").map(String.init))
        }
        return graph
    }

    @Test func theDesignsGraphIsThePackages() throws {
        let declared = try Self.declared().filter { !$0.key.hasPrefix("C") || $0.key.hasPrefix("Calltrail") }
        let drawn = try Self.drawn()
        #expect(Set(declared.keys) == Set(drawn.keys), "targets in Package.swift but not in DESIGN.md, or the reverse")
        for (target, dependencies) in declared.sorted(by: { $0.key < $1.key }) {
            #expect(drawn[target] == dependencies, "\(target): Package.swift has \(dependencies.sorted()), DESIGN.md draws \(drawn[target]?.sorted() ?? [])")
        }
    }
}
