import Foundation

/// Inline SVG charts: no script, no network, scaled by their viewBox to the page's width.
enum SVGChart {
    struct Series {
        var name: String
        var color: String
        /// nil: no bar (an interval without calls).
        var values: [Double?]
    }

    static let width = 960.0
    static let height = 300.0
    static let left = 56.0, right = 16.0, top = 16.0, bottom = 64.0

    /// Grouped bars per category, an optional dashed target line, a y axis with `ticks` labels.
    static func bars(title: String, categories: [String], series: [Series], yMax: Double? = nil,
                     target: (value: Double, label: String)? = nil, format: (Double) -> String,
                     labelEvery: Int = 1) -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let highest = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let maximum = max(yMax ?? niceCeiling(highest), target?.value ?? 0, 1e-9)
        func y(_ v: Double) -> Double { top + plotHeight * (1 - min(v, maximum) / maximum) }
        let slot = categories.isEmpty ? plotWidth : plotWidth / Double(categories.count)
        let barWidth = max(1, slot * 0.8 / Double(max(series.count, 1)))

        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(title.htmlEscaped)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(title.htmlEscaped)</title>"
        for tick in 0...4 {
            let v = maximum * Double(tick) / 4
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" class=\"grid\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\" class=\"tick\">\(format(v).htmlEscaped)</text>"
        }
        for (c, category) in categories.enumerated() {
            let x0 = left + slot * Double(c) + slot * 0.1
            for (s, serie) in series.enumerated() {
                guard c < serie.values.count, let value = serie.values[c] else { continue }
                let x = x0 + barWidth * Double(s)
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y(value)))\" width=\"\(f(barWidth))\" height=\"\(f(max(0, y(0) - y(value))))\" fill=\"\(serie.color)\">"
                svg += "<title>\(category.htmlEscaped) · \(serie.name.htmlEscaped): \(format(value).htmlEscaped)</title></rect>"
            }
            if c % max(labelEvery, 1) == 0 {
                let lx = left + slot * (Double(c) + 0.5)
                svg += "<text x=\"\(f(lx))\" y=\"\(f(height - bottom + 14))\" text-anchor=\"end\" transform=\"rotate(-45 \(f(lx)) \(f(height - bottom + 14)))\" class=\"tick\">\(category.htmlEscaped)</text>"
            }
        }
        if let target {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(target.value)))\" y2=\"\(f(y(target.value)))\" class=\"target\"/>"
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" class=\"axis\"/>"
        svg += "</svg>"
        if series.count > 1 || target != nil {
            svg += "<p class=\"legend\">" + series.map { "<span><i style=\"background:\($0.color)\"></i>\($0.name.htmlEscaped)</span>" }.joined()
            if let target { svg += "<span><i class=\"dash\"></i>\(target.label.htmlEscaped)</span>" }
            svg += "</p>"
        }
        return svg
    }

    /// A round number at or above `value` for the top of an axis.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
