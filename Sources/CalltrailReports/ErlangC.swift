import Foundation

/// Erlang C staffing (docs/METRICS.md): with arrival rate λ and mean handle time AHT, the load is
/// A = λ·AHT Erlangs; with N agents the chance to wait is C(N, A), and the service level at T is
/// 1 − C(N, A)·e^(−(N−A)·T/AHT).
public enum ErlangC {
    /// C(N, A) through the Erlang B recursion, stable for large N.
    public static func probabilityOfWaiting(agents n: Int, load a: Double) -> Double {
        guard Double(n) > a else { return 1 }
        var b = 1.0
        for k in 1...max(1, n) { b = a * b / (Double(k) + a * b) }
        return Double(n) * b / (Double(n) - a * (1 - b))
    }

    public static func serviceLevel(agents n: Int, load a: Double, aht: Double, threshold: Double) -> Double {
        guard Double(n) > a else { return 0 }
        return 1 - probabilityOfWaiting(agents: n, load: a) * exp(-(Double(n) - a) * threshold / aht)
    }

    public static func averageSpeedOfAnswer(agents n: Int, load a: Double, aht: Double) -> Double {
        guard Double(n) > a else { return .infinity }
        return probabilityOfWaiting(agents: n, load: a) * aht / (Double(n) - a)
    }

    /// The smallest N > A whose service level at `threshold` reaches `target`; 0 when nothing arrives.
    public static func agentsNeeded(calls: Double, intervalSeconds: Double, aht: Double, threshold: Double, target: Double) -> Int {
        guard calls > 0, aht > 0, intervalSeconds > 0 else { return 0 }
        let load = calls / intervalSeconds * aht
        var n = Int(load.rounded(.down)) + 1
        while serviceLevel(agents: n, load: load, aht: aht, threshold: threshold) < target && n < 100_000 { n += 1 }
        return n
    }
}
