import Foundation

/// Speech-like audio for the simulator's recordings: syllables of a glottal pulse train shaped by two
/// vowel formants, with a falling pitch contour, word gaps and two alternating voices (agent and
/// customer), at 8 kHz. Not intelligible, but it sounds like a phone call and exercises GSM the way
/// speech does.
public enum SyntheticSpeech {
    /// F1, F2 of a, e, i, o, u.
    static let vowels: [(Double, Double)] = [(730, 1090), (530, 1840), (270, 2290), (570, 840), (300, 870)]

    public static func pcm(seconds: Double, seed: UInt64, sampleRate: Int = 8000) -> [Int16] {
        var state = seed | 1
        func random() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state % 10_000) / 10_000
        }
        let total = Int(seconds * Double(sampleRate))
        var out = [Int16](repeating: 0, count: total)
        var t = 0
        var speaker = 0
        while t < total {
            // A turn: 3–8 syllables by one speaker, then a pause.
            let syllables = 3 + Int(random() * 6)
            let basePitch = speaker == 0 ? 120.0 : 210.0
            for s in 0..<syllables where t < total {
                let length = Int((0.12 + random() * 0.16) * Double(sampleRate))
                let (f1, f2) = vowels[Int(random() * Double(vowels.count)) % vowels.count]
                let pitch = basePitch * (1.1 - 0.2 * Double(s) / Double(syllables))
                var phase = 0.0
                for i in 0..<length where t + i < total {
                    let x = Double(i) / Double(length)
                    let envelope = sin(.pi * x) * (0.6 + 0.4 * sin(.pi * x))
                    phase += pitch / Double(sampleRate)
                    var sample = 0.0
                    var harmonic = 1
                    while Double(harmonic) * pitch < 3400 {
                        let f = Double(harmonic) * pitch
                        let gain = 1 / (1 + pow((f - f1) / 90, 2)) + 0.5 / (1 + pow((f - f2) / 120, 2))
                        sample += gain * sin(2 * .pi * phase * Double(harmonic)) / Double(harmonic).squareRoot()
                        harmonic += 1
                    }
                    sample += (random() - 0.5) * 0.02
                    out[t + i] = Int16(max(-32_000, min(32_000, sample * envelope * 9_000)))
                }
                t += length + Int(random() * 0.05 * Double(sampleRate))
            }
            t += Int((0.25 + random() * 0.5) * Double(sampleRate))
            speaker = 1 - speaker
        }
        return out
    }
}
