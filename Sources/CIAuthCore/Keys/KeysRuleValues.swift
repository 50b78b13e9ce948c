import GitLab

/// Parses the values of prune flags: durations such as `180d` and access-level names.
public enum KeysRuleValues {
    /// The longest rule duration: a key older than a century is not a useful rule.
    static let maximumDurationSeconds: Int64 = 36_500 * 86_400

    /// A positive duration in the common grammar (`DurationText`), at most 100 years. Returns seconds.
    public static func duration(_ text: String) throws(KeysError) -> Int64 {
        guard let seconds = DurationText.positiveSeconds(text) else {
            throw KeysError(.invalidDuration, "'\(text)' is not a duration", hint: "write a duration such as \(DurationText.examples)")
        }
        guard seconds <= maximumDurationSeconds else {
            throw KeysError(.invalidDuration, "'\(text)' is too long", hint: "at most 100 years (36500d)")
        }
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
