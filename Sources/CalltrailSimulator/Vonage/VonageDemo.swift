import Foundation

extension VonageBackend {
    /// Vonage in the demo: the OAuth client of the simulator.
    nonisolated func demoSource(options: SimulatorOptions, generated: Int) -> DemoSource {
        DemoSource(
            kind: "vonage", secret: options.vonageClientSecret,
            keys: [("user", .text(options.vonageClientID))] + Simulator.demoCommon(since: options.start, in: options.timeZone),
            served: { .init(records: await self.recordCount, undecodable: await self.undecodable, generated: generated) })
    }
}
