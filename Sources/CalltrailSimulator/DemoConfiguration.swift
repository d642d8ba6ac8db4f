import Foundation
import TOMLKit

/// The demo's `calltrail.toml`, encoded by the TOML library from each vendor's demo source, so any
/// name or value (a quote, a backslash) is written as TOML, never spliced into text.
public enum DemoConfiguration {
    public static func toml(sources: [DemoSource], baseURL: String, timeZone: TimeZone) -> String {
        let root = TOMLTable()
        root["database"] = "calltrail.sqlite"
        root["timezone"] = timeZone.identifier
        let array = TOMLArray()
        for source in sources {
            let table = TOMLTable()
            table["kind"] = source.kind
            table["base_url"] = baseURL
            table["password_file"] = "\(source.kind).secret"
            for (key, value) in source.keys {
                switch value {
                case .text(let text): table[key] = text
                case .integer(let number): table[key] = number
                case .number(let number): table[key] = number
                }
            }
            array.append(table)
        }
        root["source"] = array
        root["recordings"] = TOMLTable(["folder": "recordings", "concurrency": 8])
        // Recordings a year, calls three; the survey campaign's recordings a day only, so the demo's
        // nightly shows the retention stage at work (and the demo's legal hold keeping some).
        let surveys = TOMLTable(["queue": "Encuestas->", "recordings_days": 1])
        root["retention"] = TOMLTable(["recordings_days": 365, "calls_days": 1095, "override": TOMLArray([surveys])])
        let port = URL(string: baseURL)?.port.map(String.init) ?? "PORT"
        return """
            # Written by `calltrail demo` against the simulator at \(baseURL).
            # Start it again with `calltrail simulate --port \(port)` to reuse this file.

            """ + root.convert(to: .toml) + "\n"
    }
}
