import Foundation

/// Inline SVG charts: no script, no network, scaled by their viewBox to the page's width.
///
/// Text in an SVG scales with it, so a chart's viewBox is as wide as the chart is usually drawn
/// (`Width`): a trend chart in a 440 px column has a 480-unit viewBox, a full-width chart 960. The page's
/// CSS sets tick labels per width class, larger on narrow screens, so that they are never drawn under
/// 11 px (at 412 px a 960-unit chart is scaled by about 0.37), and hides every other category label
/// there (`minor`), which would overlap.
enum SVGChart {
    struct Series {
        var name: String
        var color: String
        /// nil: no bar (an interval without calls).
        var values: [Double?]
    }

    /// What the y axis measures: it decides the tick steps and how ticks read.
    enum Axis {
        /// A share from 0 to 1, ticked in whole percents (10 %, 20 %, 25 %).
        case ratio
        /// Calls: whole numbers, 1, 2 or 5 × 10ⁿ apart.
        case count
        /// Seconds, ticked in steps a clock reads (5 s, 15 s, 30 s, 1:00, 2:00, 5:00, …).
        case seconds
    }

    /// How wide a chart is usually drawn, in CSS pixels: its viewBox width and its CSS class.
    enum Width: Double {
        case full = 960
        case column = 480
        var className: String { self == .full ? "w960" : "w480" }
        /// Room for the y axis's labels at the size a phone draws them (30 units on a full chart).
        var left: Double { self == .full ? 100 : 64 }
    }

    static let height = 300.0
    static let right = 16.0, top = 16.0, bottom = 84.0

    /// Grouped bars per category, an optional dashed target line, a y axis with round ticks.
    static func bars(title: String, categories: [String], series: [Series], axis: Axis, yMax: Double? = nil,
                     target: (value: Double, label: String)? = nil, format: (Double) -> String,
                     labelEvery: Int = 1, width: Width = .full) -> String {
        let chartWidth = width.rawValue, left = width.left
        let plotWidth = chartWidth - left - right, plotHeight = height - top - bottom
        let highest = max(series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0, target?.value ?? 0, yMax ?? 0)
        let ticks = Self.ticks(upTo: highest, axis: axis)
        let maximum = ticks.last ?? 1
        func y(_ v: Double) -> Double { top + plotHeight * (1 - min(v, maximum) / maximum) }
        let slot = categories.isEmpty ? plotWidth : plotWidth / Double(categories.count)
        let barWidth = max(1, slot * 0.8 / Double(max(series.count, 1)))

        var svg = "<svg class=\"chart \(width.className)\" viewBox=\"0 0 \(Int(chartWidth)) \(Int(height))\" role=\"img\" aria-label=\"\(title.htmlEscaped)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(title.htmlEscaped)</title>"
        for v in ticks {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(chartWidth - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" class=\"grid\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v)))\" dy=\"0.35em\" text-anchor=\"end\" class=\"tick\">\(label(v, axis: axis, top: maximum).htmlEscaped)</text>"
        }
        let every = max(labelEvery, 1)
        for (c, category) in categories.enumerated() {
            let x0 = left + slot * Double(c) + slot * 0.1
            for (s, serie) in series.enumerated() {
                guard c < serie.values.count, let value = serie.values[c] else { continue }
                let x = x0 + barWidth * Double(s)
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y(value)))\" width=\"\(f(barWidth))\" height=\"\(f(max(0, y(0) - y(value))))\" fill=\"\(serie.color)\">"
                svg += "<title>\(category.htmlEscaped) · \(serie.name.htmlEscaped): \(format(value).htmlEscaped)</title></rect>"
            }
            if c % every == 0 {
                let lx = left + slot * (Double(c) + 0.5)
                let minor = (c / every) % 2 == 1 ? " minor" : ""
                svg += "<text x=\"\(f(lx))\" y=\"\(f(height - bottom + 14))\" text-anchor=\"end\" transform=\"rotate(-45 \(f(lx)) \(f(height - bottom + 14)))\" class=\"tick\(minor)\">\(category.htmlEscaped)</text>"
            }
        }
        if let target {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(chartWidth - right))\" y1=\"\(f(y(target.value)))\" y2=\"\(f(y(target.value)))\" class=\"target\"/>"
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(chartWidth - right))\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" class=\"axis\"/>"
        svg += "</svg>"
        if series.count > 1 || target != nil {
            svg += "<p class=\"legend\">" + series.map { "<span><i style=\"background:\($0.color)\"></i>\($0.name.htmlEscaped)</span>" }.joined()
            if let target { svg += "<span><i class=\"dash\"></i>\(target.label.htmlEscaped)</span>" }
            svg += "</p>"
        }
        return svg
    }

    /// The steps an axis may take, smallest first.
    static func steps(_ axis: Axis) -> [Double] {
        switch axis {
        case .ratio: [0.05, 0.1, 0.2, 0.25]
        case .seconds: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400]
        case .count: (0...9).flatMap { power in [1.0, 2, 5].map { $0 * pow(10, Double(power)) } }
        }
    }

    /// Round ticks from 0 to at least `value`: the smallest step that needs at most 5 intervals (a
    /// ratio axis always reaches 100 %). Never fewer than two ticks.
    static func ticks(upTo value: Double, axis: Axis) -> [Double] {
        let highest = axis == .ratio ? 1 : max(value.isFinite ? value : 0, 0)
        let candidates = steps(axis)
        let step = candidates.first { (highest / $0).rounded(.up) <= 5 } ?? candidates.last!
        // At most 50 ticks, whatever a stored value holds (a value past the largest step times five is
        // cut off at the axis's top rather than drawn with a tick a step).
        let count = max(1, Int(min((highest / step).rounded(.up), 50)))
        return (0...count).map { Double($0) * step }
    }

    /// A tick's label: a ratio in whole percents, a count as a whole number, seconds as `N s` or, on an
    /// axis that reaches two minutes, as `m:ss` (zero too, so the axis reads one way).
    static func label(_ value: Double, axis: Axis, top: Double) -> String {
        switch axis {
        case .ratio: return "\(Int((value * 100).rounded())) %"
        case .count: return String(Int(value.rounded()))
        case .seconds:
            let whole = Int(value.rounded())
            return top >= 120 ? String(format: "%d:%02d", whole / 60, whole % 60) : "\(whole) s"
        }
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
