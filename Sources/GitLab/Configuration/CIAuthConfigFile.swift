/// ciauth's own `config.toml`, a tiny strict subset of TOML:
///
/// ```toml
/// # comment
/// server = "https://gitlab.example.com"
/// token = "glpat-…"
/// ```
///
/// Only these two keys, each at most once, as basic strings with `\"` and `\\` escapes.
/// Tables, other keys and other value types are rejected.
public struct CIAuthConfigFile: Sendable, Equatable {
    public var server: String?
    public var token: String?

    public init(server: String? = nil, token: String? = nil) {
        self.server = server
        self.token = token
    }

    public init(parsing text: String) throws(GitLabError) {
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = (rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine).trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            let (key, value) = try Self.assignment(Substring(line), line: index + 1)
            switch key {
            case "server" where server == nil: server = value
            case "token" where token == nil: token = value
            case "server", "token": throw Self.error(index + 1, "duplicate key \(key)")
            default: throw Self.error(index + 1, "unknown key \(key) (only server and token)")
            }
        }
    }

    private static func assignment(_ line: Substring, line number: Int) throws(GitLabError) -> (String, String) {
        guard let equals = line.firstIndex(of: "=") else { throw error(number, "expected key = \"value\"") }
        let key = line[..<equals].trimmingSpaces
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { throw error(number, "invalid key") }
        let raw = Substring(line[line.index(after: equals)...].trimmingSpaces)
        return (key, try basicString(raw, line: number))
    }

    private static func basicString(_ raw: Substring, line number: Int) throws(GitLabError) -> String {
        guard raw.hasPrefix("\""), !raw.hasPrefix("\"\"\"") else {
            throw error(number, "value must be a double-quoted string")
        }
        var result = ""
        var index = raw.index(after: raw.startIndex)
        while index < raw.endIndex {
            let character = raw[index]
            index = raw.index(after: index)
            switch character {
            case "\"":
                let rest = raw[index...].trimmingSpaces
                guard rest.isEmpty || rest.hasPrefix("#") else { throw error(number, "text after the string") }
                return result
            case "\\":
                guard index < raw.endIndex, raw[index] == "\\" || raw[index] == "\"" else {
                    throw error(number, "unsupported escape")
                }
                result.append(raw[index])
                index = raw.index(after: index)
            default:
                guard character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                    throw error(number, "control character in string")
                }
                result.append(character)
            }
        }
        throw error(number, "unterminated string")
    }

    private static func error(_ line: Int, _ why: String) -> GitLabError {
        GitLabError(.invalidConfigFile, hint: "ciauth config.toml line \(line): \(why)")
    }
}
