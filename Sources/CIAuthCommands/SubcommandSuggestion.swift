import ArgumentParser

/// "did you mean 'approve'?" for a mistyped subcommand (`ciauth aprove 4711`), as git does.
enum SubcommandSuggestion {
    /// The message for the first word that names no subcommand of the command before it, when a
    /// subcommand is close enough to be what was meant; nil otherwise (the parser's own error then).
    /// `ciauth help aprove` is looked at the same way (the parser would show the root's help).
    static func message(for arguments: [String], root: ParsableCommand.Type) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "ciauth"]
        let asksForHelp = arguments.first == "help"
        for word in asksForHelp ? Array(arguments.dropFirst()) : arguments {
            let subcommands = command.configuration.subcommands
            guard !word.hasPrefix("-"), !subcommands.isEmpty, word != "help" else { return nil }
            let names = subcommands.compactMap { sub in sub.configuration.shouldDisplay ? sub.configuration.commandName : nil }
            if let next = subcommands.first(where: { $0.configuration.commandName == word }) {
                command = next
                path.append(word)
                continue
            }
            let close = names.map { ($0, distance(word, $0)) }.filter { $0.1 <= max(1, $0.0.count / 3) }
            guard let best = close.min(by: { $0.1 < $1.1 }) else { return nil }
            let full = path.joined(separator: " ")
            let meant = asksForHelp ? ([path[0], "help"] + path.dropFirst()).joined(separator: " ") : full
            return "'\(word)' is not a \(full) command. Did you mean '\(meant) \(best.0)'? (see '\(full) --help')"
        }
        return nil
    }

    /// Levenshtein distance, with a transposition counted as one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
