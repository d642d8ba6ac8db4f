@testable import CalltrailReports
import Testing

/// Chart axes read as a person reads them: round ticks in the axis's own unit (issue #30's AHT axis read
/// `4:10, 3:08, 2:05, 1:03, 0.0 s`), and labels drawn at a size that stays legible when the chart is.
@Suite struct ChartAxisTests {
    func labels(_ highest: Double, _ axis: SVGChart.Axis) -> [String] {
        let ticks = SVGChart.ticks(upTo: highest, axis: axis)
        return ticks.map { SVGChart.label($0, axis: axis, top: ticks.last!) }
    }

    @Test func durationsTickOnTheClock() {
        #expect(labels(250, .seconds) == ["0:00", "1:00", "2:00", "3:00", "4:00", "5:00"])
        #expect(labels(42, .seconds) == ["0 s", "10 s", "20 s", "30 s", "40 s", "50 s"])
        #expect(labels(700, .seconds) == ["0:00", "5:00", "10:00", "15:00"])
    }

    @Test func countsAndRatiosTickRound() {
        #expect(labels(37, .count) == ["0", "10", "20", "30", "40"])
        #expect(labels(1234, .count) == ["0", "500", "1000", "1500"])
        #expect(labels(0, .count) == ["0", "1"])
        #expect(labels(0.93, .ratio) == ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"])
        #expect(labels(.infinity, .count) == ["0", "1"])
    }

    @Test func aChartSaysHowWideItIsDrawn() {
        let series = [SVGChart.Series(name: "AHT", color: "#000", values: [250, nil, 190])]
        let column = SVGChart.bars(title: "AHT", categories: ["a", "b", "c"], series: series, axis: .seconds,
                                   format: { "\($0)" }, width: .column)
        #expect(column.contains("class=\"chart w480\"") && column.contains("viewBox=\"0 0 480 300\""))
        #expect(column.contains(">4:00</text>") && !column.contains("4:10"))
        let full = SVGChart.bars(title: "n", categories: (0..<8).map(String.init), series: [.init(name: "n", color: "#000", values: Array(repeating: 3, count: 8))],
                                 axis: .count, format: { "\($0)" }, labelEvery: 2)
        // Every other shown category label is minor: hidden on a phone, where it would overlap.
        #expect(full.components(separatedBy: "class=\"tick minor\"").count - 1 == 2)
    }
}
