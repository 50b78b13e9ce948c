import TOMLKit

/// ciauth's own `config.toml`, read with a TOML library:
///
/// ```toml
/// # comment
/// server = "https://gitlab.example.com"
/// token = 'glpat-…'
/// ```
///
/// Any valid TOML string form is accepted; only these two keys, each a string. Another key, a
/// table or another value type is refused by name, so a typo does not silently drop a setting.
public struct CIAuthConfigFile: Sendable, Equatable {
    public var server: String?
    public var token: String?

    public init(server: String? = nil, token: String? = nil) {
        self.server = server
        self.token = token
    }

    /// Parses the file's text; errors name a line, never quote the file (it may hold a token).
    public init(parsing text: String) throws(GitLabError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw Self.error("not valid TOML at line \(error.source.begin.line), column \(error.source.begin.column)")
        } catch {
            throw Self.error("not valid TOML")
        }
        for key in table.keys.sorted() {
            guard key == "server" || key == "token" else {
                throw Self.error("unknown key \(key) (only server and token)")
            }
            guard let value = table[key]?.string else { throw Self.error("\(key) must be a string") }
            guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw Self.error("\(key) contains a control character")
            }
            if key == "server" { server = value } else { token = value }
        }
    }

    /// The file's text, written with the TOML library so every value is quoted correctly.
    public var text: String {
        var values: [String: TOMLValueConvertible] = [:]
        if let server { values["server"] = server }
        if let token { values["token"] = token }
        return TOMLTable(values).convert(to: .toml) + "\n"
    }

    private static func error(_ why: String) -> GitLabError {
        GitLabError(.invalidConfigFile, hint: why)
    }
}
