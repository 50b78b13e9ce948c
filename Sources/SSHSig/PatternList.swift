/// OpenSSH pattern lists (ssh_config(5) PATTERNS, match.c): comma-separated patterns with `*` and
/// `?` wildcards, a leading `!` negates. Used for allowed_signers principals and namespaces.
enum PatternList {
    /// True when some positive pattern matches and no negated pattern matches
    /// (`match_pattern_list(...) == 1`). Case-sensitive.
    static func matches(_ subject: String, list: String) -> Bool {
        var positive = false
        for pattern in list.split(separator: ",", omittingEmptySubsequences: false) {
            let negated = pattern.hasPrefix("!")
            let body = negated ? pattern.dropFirst() : pattern
            guard matches(Array(subject.utf8)[...], pattern: Array(body.utf8)[...]) else { continue }
            if negated { return false }
            positive = true
        }
        return positive
    }

    /// Glob match of a whole subject against one pattern (`match_pattern`).
    static func matches(_ subject: ArraySlice<UInt8>, pattern: ArraySlice<UInt8>) -> Bool {
        var subject = subject
        var pattern = pattern
        // Position to resume from after the most recent `*`: (pattern after star, subject start).
        var backtrack: (ArraySlice<UInt8>, ArraySlice<UInt8>)?
        while true {
            if let symbol = pattern.first, symbol == UInt8(ascii: "*") {
                pattern = pattern.dropFirst()
                backtrack = (pattern, subject)
                continue
            }
            if let symbol = pattern.first, let character = subject.first,
               symbol == UInt8(ascii: "?") || symbol == character {
                pattern = pattern.dropFirst()
                subject = subject.dropFirst()
                continue
            }
            if pattern.isEmpty && subject.isEmpty { return true }
            guard let (resumePattern, resumeSubject) = backtrack, !resumeSubject.isEmpty else { return false }
            backtrack = (resumePattern, resumeSubject.dropFirst())
            pattern = resumePattern
            subject = resumeSubject.dropFirst()
        }
    }
}
