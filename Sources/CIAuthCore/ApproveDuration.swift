/// Parses the durations users type for `--ttl`, `--max-ttl` and `--expires-in`: a sequence of
/// number+unit pairs (`90s`, `30m`, `1h30m`, `90d`), units s, m, h, d. A bare number is refused
/// so `--ttl 60` cannot be misread as minutes.
public enum ApproveDuration {
    public static func seconds(_ text: String) -> Int64? {
        var total: Int64 = 0
        var digits = ""
        var sawUnit = false
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int64(digits), digits.count <= 9 else { return nil }
            let unit: Int64
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            total += value * unit
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit, total > 0 else { return nil }
        return total
    }

    /// `3600` → `1h`, `5400` → `1h30m`, `45` → `45s`.
    public static func describe(_ seconds: Int64) -> String {
        var parts: [String] = []
        var rest = seconds
        for (unit, name) in [(Int64(86_400), "d"), (3600, "h"), (60, "m"), (1, "s")] where rest >= unit {
            parts.append("\(rest / unit)\(name)")
            rest %= unit
        }
        return parts.isEmpty ? "0s" : parts.joined()
    }
}
