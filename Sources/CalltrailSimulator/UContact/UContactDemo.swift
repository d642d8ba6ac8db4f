import Foundation

extension UContactBackend {
    /// uContact in the demo: the simulator's user, day windows of 100 records, both recording servers.
    nonisolated func demoSource(options: SimulatorOptions, baseURL: String, generated: Int) -> DemoSource {
        DemoSource(
            kind: "ucontact", secret: options.password,
            keys: [("user", .text(options.user)), ("timezone", .text(options.timeZone.identifier))]
                + Simulator.demoCommon(since: options.start, in: options.timeZone)
                + [("window_hours", .integer(24)), ("page_size", .integer(100)),
                   ("telephony_records_url", .text(baseURL + "/telephony")), ("backup_records_url", .text(baseURL + "/backup"))],
            served: { .init(records: await self.recordCount, undecodable: await self.undecodable, generated: generated) })
    }
}
