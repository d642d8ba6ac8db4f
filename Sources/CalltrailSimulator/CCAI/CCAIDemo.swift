import Foundation

extension CCAIBackend {
    /// CCAI in the demo: the company key and API token; every record it serves is a call it holds.
    nonisolated func demoSource(options: SimulatorOptions) -> DemoSource {
        DemoSource(
            kind: "ccai", secret: options.ccaiToken,
            keys: [("user", .text(options.ccaiCompanyKey))] + Simulator.demoCommon(since: options.start, in: options.timeZone),
            served: {
                let records = await self.recordCount
                return .init(records: records, undecodable: await self.undecodable, generated: records)
            })
    }
}
