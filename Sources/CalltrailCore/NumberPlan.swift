import Foundation

/// The center's numbering settings (`[compliance] country_code`, `trunk_prefix`) and the one
/// normalizer of telephone numbers to E.164 (`+` and up to 15 digits) that holds, erasure, pulls and
/// case syncs share: two numbers are the same customer when their E.164 forms are equal, nothing
/// less (no suffix rule).
///
/// A number is read as international when it starts with `+`, with the international prefix (`00`;
/// `011` in the North American plan), or with the country code followed by a full national number;
/// as national when it starts with the trunk prefix, or otherwise: the country code goes before it.
public struct NumberPlan: Sendable, Equatable {
    /// The country calling code, digits only: 598 (Uruguay), 34 (Spain), 86 (China), 1 (US). Nil: only
    /// numbers in international form can be normalized.
    public var countryCode: String?
    /// What a national number is dialled with before its area or mobile code: 0 (Uruguay, China), 1
    /// (US), none (Spain: "").
    public var trunkPrefix: String

    /// The fewest digits of a national significant number (after the country code) this normalizer
    /// accepts: shorter ones are extensions or fragments, never a customer.
    public static let minimumNationalDigits = 7
    /// E.164: at most 15 digits, country code included.
    public static let maximumDigits = 15

    public init(countryCode: String? = nil, trunkPrefix: String = "") {
        self.countryCode = countryCode
        self.trunkPrefix = trunkPrefix
    }

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// A number a user gave (`--number`): its E.164 form, or why it is not a number under the settings
    /// (one line, naming the fix).
    public func normalize(given number: String) throws -> String {
        switch classify(number) {
        case .number(let e164): return e164
        case .invalid(let why): throw Invalid(description: "\(number.debugDescription) is not a telephone number under [compliance] country_code \(countryCode ?? "(not set)") and trunk_prefix \(trunkPrefix.debugDescription): \(why)")
        }
    }

    /// A number as stored from a vendor: its E.164 form, or nil (an extension, `anonymous`, a fragment).
    public func normalize(stored number: String) -> String? {
        if case .number(let e164) = classify(number) { return e164 }
        return nil
    }

    enum Reading {
        case number(String)
        case invalid(String)
    }

    /// Punctuation people write numbers with; anything else but digits makes it no number.
    static let separators: Set<Character> = [" ", "-", ".", "(", ")", "/", "\u{00A0}"]

    func classify(_ text: String) -> Reading {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        let plus = body.first == "+"
        if plus { body = body.dropFirst() }
        var digits = ""
        for character in body {
            if let ascii = character.asciiValue, ascii >= 0x30, ascii <= 0x39 {
                digits.append(character)
            } else if !Self.separators.contains(character) {
                return .invalid("it holds \(String(character).debugDescription); give digits, spaces or dashes, with + for the international form")
            }
        }
        if digits.isEmpty { return .invalid("it has no digits") }
        if plus { return international(digits) }
        let internationalPrefix = countryCode == "1" ? "011" : "00"
        if digits.hasPrefix(internationalPrefix) { return international(String(digits.dropFirst(internationalPrefix.count))) }
        guard let countryCode else {
            return .invalid("a national number needs the country: set [compliance] country_code (598 for Uruguay), or give it as +<country code><number>")
        }
        if !trunkPrefix.isEmpty, digits.hasPrefix(trunkPrefix) {
            return national(String(digits.dropFirst(trunkPrefix.count)), countryCode)
        }
        // The country code and a whole national number, written without the +.
        if digits.hasPrefix(countryCode), digits.count - countryCode.count >= Self.minimumNationalDigits, digits.count <= Self.maximumDigits {
            return international(digits)
        }
        return national(digits, countryCode)
    }

    func international(_ digits: String) -> Reading {
        guard let first = digits.first, first != "0" else { return .invalid("a country code never starts with 0") }
        guard digits.count >= 8 else { return .invalid("an international number has at least 8 digits, this one \(digits.count)") }
        guard digits.count <= Self.maximumDigits else { return .invalid("E.164 allows at most \(Self.maximumDigits) digits, this one has \(digits.count)") }
        return .number("+" + digits)
    }

    func national(_ digits: String, _ countryCode: String) -> Reading {
        guard digits.count >= Self.minimumNationalDigits else {
            return .invalid("a national number has at least \(Self.minimumNationalDigits) digits after the trunk prefix, this one \(digits.count)")
        }
        return international(countryCode + digits)
    }
}
