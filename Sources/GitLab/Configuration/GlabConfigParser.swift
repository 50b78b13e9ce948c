import Yams

/// The part of glab's `config.yml` that ciauth needs, read with a YAML library:
///
/// ```yaml
/// host: gitlab.example.com
/// hosts:
///   gitlab.example.com:
///     token: !!null glpat-…
///     api_protocol: https
///     api_host: gitlab.example.com
///     is_oauth2: "true"
/// ```
///
/// glab itself (gitlab-org/cli, `internal/config`) reads its file as a YAML node tree and takes
/// every value as the scalar's text whatever its tag, so `token: !!null glpat-…` (what glab
/// writes for a token kept in the file) is the token, and `is_oauth2: "true"` is true. Everything
/// ciauth does not use (aliases, per-host `git_protocol`, block lists, comments, other sections) is
/// ignored whatever its shape; a value ciauth uses must be a scalar.
public struct GlabConfig: Sendable, Equatable {
    public struct Host: Sendable, Equatable {
        public var token: String?
        public var apiProtocol: String?
        public var apiHost: String?
        public var isOAuth2: Bool
    }

    /// Default host (`host:` at top level).
    public var defaultHost: String?
    /// Entries of the `hosts:` section by host key (`host` or `host:port`).
    public var hosts: [String: Host]

    /// Parses the file's text; errors name a line, never quote the file (it holds tokens).
    public init(parsing text: String) throws(GitLabError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.error(Self.describe(error))
        } catch {
            throw Self.error("not YAML")
        }
        guard let root, !Self.isNull(root) else {
            defaultHost = nil
            hosts = [:]
            return
        }
        guard let top = root.mapping else { throw Self.error("line \(Self.line(root)): the file must be a mapping") }
        defaultHost = try Self.scalar(top["host"], "host")
        hosts = [:]
        guard let section = top["hosts"], !Self.isNull(section) else { return }
        guard let entries = section.mapping else {
            throw Self.error("line \(Self.line(section)): hosts must be a mapping of host names")
        }
        for (key, value) in entries {
            guard let name = key.scalar?.string, !name.isEmpty else {
                throw Self.error("line \(Self.line(key)): a host name must be text")
            }
            hosts[name] = try Self.host(value, name: name)
        }
    }

    private static func host(_ node: Node, name: String) throws(GitLabError) -> Host {
        if isNull(node) { return Host(token: nil, apiProtocol: nil, apiHost: nil, isOAuth2: false) }
        guard let fields = node.mapping else { throw error("line \(line(node)): host \(name) must be a mapping") }
        let oauth = try scalar(fields["is_oauth2"], "hosts.\(name).is_oauth2")
        guard oauth == nil || oauth == "true" || oauth == "false" else {
            throw error("line \(line(fields["is_oauth2"])): hosts.\(name).is_oauth2 must be true or false")
        }
        return Host(
            token: try scalar(fields["token"], "hosts.\(name).token"),
            apiProtocol: try scalar(fields["api_protocol"], "hosts.\(name).api_protocol"),
            apiHost: try scalar(fields["api_host"], "hosts.\(name).api_host"),
            isOAuth2: oauth == "true")
    }

    /// A scalar's text whatever its tag (as glab reads it); nil when absent or empty.
    private static func scalar(_ node: Node?, _ name: String) throws(GitLabError) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else { throw error("line \(line(node)): \(name) must be a single value") }
        let text = scalar.string.trimmingSpaces
        // A plain `null`/`~` is YAML's null (glab's Go YAML reads it as no value); a tagged
        // `!!null glpat-…` is glab's way of writing a token, and its text is the token.
        if text.isEmpty || (scalar.style == .plain && ["~", "null", "Null", "NULL"].contains(text)) { return nil }
        return text
    }

    private static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private static func line(_ node: Node?) -> String {
        node?.mark.map { String($0.line) } ?? "?"
    }

    /// Yams' own description quotes the offending text, which may be a token: keep only the
    /// problem and its position.
    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            "line \(mark.line) column \(mark.column): \(problem)"
        case .reader(let problem, _, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, let context):
            "line \(context.mark.line): duplicate key \(duplicates.joined(separator: ", "))"
        default: "not YAML"
        }
    }

    static func error(_ why: String) -> GitLabError {
        GitLabError(.invalidConfigFile, hint: why)
    }
}
