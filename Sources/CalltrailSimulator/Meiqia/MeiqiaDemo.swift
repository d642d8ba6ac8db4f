import Foundation

extension MeiqiaBackend {
    /// Meiqia in the demo: its token, Shanghai's wall clock, pages of 100.
    nonisolated func demoSource(options: SimulatorOptions, generated: Int) -> DemoSource {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        return DemoSource(
            kind: "meiqia", secret: options.meiqiaToken,
            keys: [("timezone", .text(shanghai.identifier))] + Simulator.demoCommon(since: options.start, in: shanghai)
                + [("page_size", .integer(100))],
            served: { .init(records: await self.recordCount, undecodable: await self.undecodable, generated: generated) })
    }
}
