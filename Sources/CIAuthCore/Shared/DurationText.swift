/// The one way ciauth reads a duration a person typed (`--ttl`, `--max-ttl`, `--expires-in`,
/// `--max-age`, `--min-key-age`, `.ciauth.yml`, `keys prune --older-than`/`--unused-since`).
///
/// Grammar: one or more `NUMBER UNIT` pairs, `1h30m`, `2w3d`, `90s`. Units are `w` (7 days),
/// `d`, `h`, `m`, `s`, each at most once and from the largest to the smallest. A number is ASCII
/// digits without a leading zero (`0` alone is a number). Nothing else: no sign, space, fraction
/// or bare number (so `60` cannot be misread as minutes), and a total beyond `Int64` seconds is
/// refused rather than wrapped. Whether zero or a large value makes sense is the caller's rule.
public enum DurationText {
    /// Units from the largest to the smallest, with their length in seconds.
    static let units: [(name: Character, seconds: Int64)] = [("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]

    /// Examples for messages that ask for a duration.
    public static let examples = "90s, 15m, 1h30m, 7d or 2w"

    /// The duration in seconds (zero included), or nil when `text` does not follow the grammar.
    public static func seconds(_ text: String) -> Int64? {
        var total: Int64 = 0
        var digits = ""
        var nextUnit = 0  // index into `units`: later pairs must use a smaller unit
        for character in text.unicodeScalars {
            if ("0"..."9").contains(character) {
                guard digits != "0" else { return nil }  // a leading zero
                digits.unicodeScalars.append(character)
                continue
            }
            guard !digits.isEmpty, let value = Int64(digits),
                let index = units[nextUnit...].firstIndex(where: { $0.name.unicodeScalars.first == character })
            else { return nil }
            let (part, overflow) = value.multipliedReportingOverflow(by: units[index].seconds)
            let (sum, overflowSum) = total.addingReportingOverflow(part)
            guard !overflow, !overflowSum else { return nil }
            total = sum
            digits = ""
            nextUnit = index + 1
        }
        guard digits.isEmpty, nextUnit > 0 else { return nil }
        return total
    }

    /// The duration in seconds when it is more than zero, as every current caller needs.
    public static func positiveSeconds(_ text: String) -> Int64? {
        guard let seconds = seconds(text), seconds > 0 else { return nil }
        return seconds
    }

    /// The shortest spelling in the grammar, without weeks: `5400` → `1h30m`, `45` → `45s`.
    public static func describe(_ seconds: Int64) -> String {
        var parts: [String] = []
        var rest = seconds
        for (name, unit) in units.dropFirst() where rest >= unit {
            parts.append("\(rest / unit)\(name)")
            rest %= unit
        }
        return parts.isEmpty ? "0s" : parts.joined()
    }
}
