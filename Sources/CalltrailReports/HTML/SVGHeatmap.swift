import Foundation

/// An inline SVG heatmap: rows (queues, days) by columns (intervals, hours), each cell coloured by its
/// value and titled with it, an empty cell (no calls) grey. Scaled by its viewBox to the page's width.
enum SVGHeatmap {
    struct Row {
        var label: String
        /// nil: nothing to show in that column.
        var values: [Double?]
        /// Where a cell leads (a drill-down list of the page), by column; none when empty.
        var links: [String?] = []
    }

    /// `color` maps a value to a CSS colour; `format` writes it in a cell's title.
    static func render(title: String, columns: [String], rows: [Row], labelEvery: Int, color: (Double) -> String,
                       format: (Double) -> String) -> String {
        // Room below for an interval label ("12-06 00:00") rotated 45°, at the tick size.
        let labelWidth = 150.0, top = 8.0, bottom = 84.0, right = 8.0
        let width = SVGChart.Width.full.rawValue
        let cellWidth = (width - labelWidth - right) / Double(max(columns.count, 1))
        let cellHeight = 22.0
        let height = top + cellHeight * Double(rows.count) + bottom
        // Never narrower than 720 px: a phone scrolls it sideways rather than shrink its labels.
        var svg = "<div class=\"scroll\"><svg class=\"chart heatmap\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(title.htmlEscaped)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(title.htmlEscaped)</title>"
        for (r, row) in rows.enumerated() {
            let y = top + cellHeight * Double(r)
            let label = row.label.count > 22 ? String(row.label.prefix(21)) + "…" : row.label
            svg += "<text x=\"\(SVGChart.f(labelWidth - 6))\" y=\"\(SVGChart.f(y + cellHeight * 0.7))\" text-anchor=\"end\" class=\"tick\">\(label.htmlEscaped)</text>"
            for (c, value) in row.values.enumerated() {
                let x = labelWidth + cellWidth * Double(c)
                let fill = value.map(color) ?? "#eef1f4"
                let shown = value.map(format) ?? "no calls"
                let link = c < row.links.count ? row.links[c] : nil
                if let link { svg += "<a href=\"\(link.htmlEscaped)\">" }
                svg += "<rect x=\"\(SVGChart.f(x))\" y=\"\(SVGChart.f(y))\" width=\"\(SVGChart.f(max(cellWidth - 1, 0.5)))\" height=\"\(SVGChart.f(cellHeight - 1))\" fill=\"\(fill)\">"
                svg += "<title>\(row.label.htmlEscaped) · \(columns[c].htmlEscaped): \(shown.htmlEscaped)\(link == nil ? "" : " (click: its abandoned calls)")</title></rect>"
                if link != nil { svg += "</a>" }
            }
        }
        let axis = top + cellHeight * Double(rows.count)
        for (c, column) in columns.enumerated() where c % max(labelEvery, 1) == 0 {
            let x = labelWidth + cellWidth * (Double(c) + 0.5)
            svg += "<text x=\"\(SVGChart.f(x))\" y=\"\(SVGChart.f(axis + 14))\" text-anchor=\"end\" transform=\"rotate(-45 \(SVGChart.f(x)) \(SVGChart.f(axis + 14)))\" class=\"tick\">\(column.htmlEscaped)</text>"
        }
        return svg + "</svg></div>"
    }

    /// Red below the target, through amber, to green at or above it.
    static func serviceLevelColor(target: Double) -> (Double) -> String {
        { value in
            if value >= target { return "#2e7d4f" }
            if value >= target - 0.1 { return "#e0a030" }
            return value >= target - 0.25 ? "#d9733f" : "#b3412e"
        }
    }

    /// Light to dark blue with the share of the busiest cell.
    static func volumeColor(maximum: Double) -> (Double) -> String {
        { value in
            let share = maximum > 0 ? min(value / maximum, 1) : 0
            let r = Int(232 - share * (232 - 31)), g = Int(240 - share * (240 - 78)), b = Int(247 - share * (247 - 121))
            return String(format: "#%02x%02x%02x", r, g, b)
        }
    }
}
