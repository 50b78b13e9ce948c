import GitLab

/// Parses the values of prune flags: durations such as `180d` and access-level names.
public enum KeysRuleValues {
    /// `N` followed by `s`, `m`, `h`, `d` or `w`; N a positive integer. Returns seconds.
    public static func duration(_ text: String) throws(KeysError) -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400]
        guard let unitCharacter = text.last, let unit = units[unitCharacter],
            let amount = Int64(text.dropLast()), amount > 0, amount <= 100 * 365
        else {
            throw KeysError(
                .invalidDuration, "'\(text)' is not a duration", hint: "write a number and a unit: 90d, 12w, 48h, 30m, 45s")
        }
        let (seconds, overflow) = amount.multipliedReportingOverflow(by: unit)
        guard !overflow else { throw KeysError(.invalidDuration, "'\(text)' is too long") }
        return seconds
    }

    /// GitLab role names: guest, planner, reporter, developer, maintainer, owner.
    public static func accessLevel(_ text: String) throws(KeysError) -> GitLab.AccessLevel {
        let levels: [String: GitLab.AccessLevel] = [
            "minimal": .minimalAccess, "guest": .guest, "planner": .planner, "reporter": .reporter,
            "developer": .developer, "maintainer": .maintainer, "owner": .owner,
        ]
        guard let level = levels[text.lowercased()] else {
            throw KeysError(
                .invalidAccessLevel, "'\(text)' is not a GitLab role",
                hint: "use guest, planner, reporter, developer, maintainer or owner")
        }
        return level
    }
}
