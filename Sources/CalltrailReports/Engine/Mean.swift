/// `avg()` as SQLite computes it: a plain sum in scan order over a count.
struct Mean {
    private(set) var sum = 0.0
    private(set) var count = 0

    mutating func add(_ value: Double) {
        sum += value
        count += 1
    }

    mutating func merge(_ other: Mean) {
        sum += other.sum
        count += other.count
    }

    var value: Double? { count > 0 ? sum / Double(count) : nil }
    /// `printf('%.1f', avg(…))`, nil where the average is NULL.
    var seconds: String? { value.map(SQLText.seconds) }
}

/// `printf('%.4f', 1.0 * numerator / denominator)` where the denominator is positive, else NULL: the
/// quotient as the datasets write it.
func ratio(_ numerator: Int, _ denominator: Int) -> String? {
    quotient(numerator, denominator).map(SQLText.ratio)
}
