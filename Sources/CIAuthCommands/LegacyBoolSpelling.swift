/// Boolean settings are `--x/--no-x` flag pairs on every command. Two of verify's used to take a
/// value (`--allow-self-approval false`, `--approver-must-be-player=false`); pipelines written
/// that way keep working: the value form is rewritten to the flag before parsing, with a note.
enum LegacyBoolSpelling {
    static let formerValueOptions = ["approver-must-be-player", "allow-self-approval"]

    static func rewrite(_ arguments: [String]) -> (arguments: [String], notes: [String]) {
        var output: [String] = []
        var notes: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                output += arguments[(index - 1)...]
                break
            }
            guard let (name, inline) = split(argument), formerValueOptions.contains(name) else {
                output.append(argument)
                continue
            }
            var text = inline
            if text == nil, index < arguments.count, value(arguments[index]) != nil {
                text = arguments[index]
                index += 1
            }
            guard let text else {
                output.append(argument)
                continue
            }
            guard let enabled = value(text) else {
                output.append(argument)  // `--x=maybe`: left for the parser to refuse.
                continue
            }
            let flag = enabled ? "--\(name)" : "--no-\(name)"
            output.append(flag)
            notes.append("note: `--\(name) \(text)` is the former spelling of \(flag)")
        }
        return (output, notes)
    }

    /// `--name` or `--name=value`.
    private static func split(_ argument: String) -> (String, String?)? {
        guard argument.hasPrefix("--") else { return nil }
        let body = argument.dropFirst(2)
        guard let equals = body.firstIndex(of: "=") else { return (String(body), nil) }
        return (String(body[..<equals]), String(body[body.index(after: equals)...]))
    }

    /// The values the former options accepted.
    private static func value(_ text: String) -> Bool? {
        switch text {
        case "true": true
        case "false": false
        default: nil
        }
    }
}
