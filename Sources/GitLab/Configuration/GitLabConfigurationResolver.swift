/// Where a resolved setting came from, for `ciauth doctor` and `-v` output.
public enum ConfigurationSource: String, Sendable, Hashable {
    case flag = "command-line flag"
    case ciauthEnvironment = "CIAUTH_SERVER / CIAUTH_TOKEN"
    case glabEnvironment = "GITLAB_HOST / GITLAB_TOKEN"
    case glabConfig = "glab config.yml"
    case ciauthConfig = "ciauth config.toml"
    case ciJob = "CI_SERVER_URL / CI_JOB_TOKEN"
}

/// How a token given as a flag is sent.
public enum TokenKind: String, Sendable, Hashable, CaseIterable {
    case accessToken = "access-token"
    case oauth
    case jobToken = "job-token"

    func credentials(_ token: String) -> GitLabCredentials {
        switch self {
        case .accessToken: .accessToken(token)
        case .oauth: .oauth(token)
        case .jobToken: .jobToken(token)
        }
    }
}

/// Everything resolution looks at; the caller finds files and the environment, the resolver is pure.
public struct GitLabConfigurationInputs: Sendable {
    public var serverFlag: String?
    public var tokenFlag: String?
    public var tokenKind: TokenKind
    public var environment: [String: String]
    /// glab's `config.yml`, nil when absent.
    public var glabFile: ConfigurationFile?
    /// ciauth's `config.toml`, nil when absent.
    public var ciauthFile: ConfigurationFile?

    public init(
        serverFlag: String? = nil, tokenFlag: String? = nil, tokenKind: TokenKind = .accessToken,
        environment: [String: String] = [:], glabConfig: String? = nil, ciauthConfig: String? = nil,
        glabFile: ConfigurationFile? = nil, ciauthFile: ConfigurationFile? = nil
    ) {
        self.serverFlag = serverFlag
        self.tokenFlag = tokenFlag
        self.tokenKind = tokenKind
        self.environment = environment
        self.glabFile = glabFile ?? glabConfig.map { ConfigurationFile(path: "glab config.yml", contents: .success($0)) }
        self.ciauthFile = ciauthFile ?? ciauthConfig.map { ConfigurationFile(path: "ciauth config.toml", contents: .success($0)) }
    }
}

public struct ResolvedGitLabConfiguration: Sendable {
    public let server: GitLabServer
    public let credentials: GitLabCredentials
    public let serverSource: ConfigurationSource
    /// nil when no token was found (anonymous).
    public let tokenSource: ConfigurationSource?
    /// The file the server came from, when it came from a configuration file.
    public var serverFile: String? = nil
    /// The file the token came from, when it came from a configuration file.
    public var tokenFile: String? = nil
}

/// Resolution order, first match wins, server and token each:
/// 1. flags (`--server`, `--token`)
/// 2. `CIAUTH_SERVER` / `CIAUTH_TOKEN`
/// 3. `GITLAB_HOST` / `GITLAB_TOKEN` (glab's variables)
/// 4. glab's `config.yml`: `host:` picks the server, `hosts.<host>.token` the token
/// 5. ciauth's `config.toml`: `server = "…"`, `token = "…"`
/// 6. inside a CI job: `CI_SERVER_URL` / `CI_JOB_TOKEN` (sent as `JOB-TOKEN`)
///
/// Tokens from files and the CI job are bound to their server: they are used only when the
/// resolved server is the one they belong to, so a token never goes to another host.
///
/// A configuration file is parsed only when resolution reaches it: a broken glab file never
/// stops a command that has its server and token from flags or the environment. When a file
/// that is needed is broken, the error names it.
public enum GitLabConfigurationResolver {
    public static func resolve(_ inputs: GitLabConfigurationInputs) throws(GitLabError) -> ResolvedGitLabConfiguration {
        let files = LazyFiles(inputs: inputs)
        let (server, serverSource) = try resolveServer(inputs, files)
        let token = try resolveToken(inputs, server: server, files)
        var resolved = ResolvedGitLabConfiguration(
            server: server, credentials: token?.0 ?? .anonymous, serverSource: serverSource, tokenSource: token?.1)
        resolved.serverFile = files.path(of: serverSource)
        resolved.tokenFile = token.flatMap { files.path(of: $0.1) }
        return resolved
    }

    /// The two files, each parsed when first asked for.
    private struct LazyFiles {
        let inputs: GitLabConfigurationInputs

        func glab() throws(GitLabError) -> GlabConfig? {
            guard let file = inputs.glabFile else { return nil }
            return try parse(file, "glab's configuration file") { text throws(GitLabError) in try GlabConfig(parsing: text) }
        }

        func ciauth() throws(GitLabError) -> CIAuthConfigFile? {
            guard let file = inputs.ciauthFile else { return nil }
            return try parse(file, "ciauth's configuration file") { text throws(GitLabError) in try CIAuthConfigFile(parsing: text) }
        }

        func path(of source: ConfigurationSource) -> String? {
            switch source {
            case .glabConfig: inputs.glabFile?.path
            case .ciauthConfig: inputs.ciauthFile?.path
            default: nil
            }
        }

        private func parse<T>(
            _ file: ConfigurationFile, _ name: String, _ body: (String) throws(GitLabError) -> T
        ) throws(GitLabError) -> T {
            do {
                return try body(try file.contents.get())
            } catch {
                throw GitLabError(.invalidConfigFile, hint: "\(name) \(file.path) is broken: \(error.hint ?? "unreadable")")
            }
        }
    }

    private static func resolveServer(
        _ inputs: GitLabConfigurationInputs, _ files: LazyFiles
    ) throws(GitLabError) -> (GitLabServer, ConfigurationSource) {
        let env = inputs.environment
        let candidates: [(() throws(GitLabError) -> String?, ConfigurationSource)] = [
            ({ inputs.serverFlag }, .flag),
            ({ env["CIAUTH_SERVER"] }, .ciauthEnvironment),
            ({ env["GITLAB_HOST"] }, .glabEnvironment),
            ({ () throws(GitLabError) in try files.glab().flatMap(glabServerURL) }, .glabConfig),
            ({ () throws(GitLabError) in try files.ciauth()?.server }, .ciauthConfig),
            ({ env["CI_SERVER_URL"] }, .ciJob),
        ]
        for (value, source) in candidates {
            guard let value = try value()?.trimmingSpaces, !value.isEmpty else { continue }
            do {
                return (try GitLabServer(withDefaultScheme(value)), source)
            } catch {
                let origin = files.path(of: source).map { "\(source.rawValue) \($0)" } ?? source.rawValue
                throw GitLabError(error.code, hint: "\(error.hint ?? "invalid server") (from \(origin))")
            }
        }
        throw GitLabError(
            .missingServer,
            hint: "no GitLab server configured: run `ciauth auth login --server https://…`, pass --server, or set CIAUTH_SERVER")
    }

    private static func resolveToken(
        _ inputs: GitLabConfigurationInputs, server: GitLabServer, _ files: LazyFiles
    ) throws(GitLabError) -> (GitLabCredentials, ConfigurationSource)? {
        let env = inputs.environment
        if let token = nonEmpty(inputs.tokenFlag) { return (inputs.tokenKind.credentials(token), .flag) }
        if let token = nonEmpty(env["CIAUTH_TOKEN"]) { return (.accessToken(token), .ciauthEnvironment) }
        if let token = nonEmpty(env["GITLAB_TOKEN"]) { return (.accessToken(token), .glabEnvironment) }
        if let host = try files.glab()?.hosts[server.hostKey], let token = nonEmpty(host.token),
            try sameServer(glabURL(for: server.hostKey, host), server)
        {
            return (host.isOAuth2 ? .oauth(token) : .accessToken(token), .glabConfig)
        }
        if let ciauth = try files.ciauth(), let token = nonEmpty(ciauth.token) {
            if try ciauth.server.map({ value throws(GitLabError) in try sameServer(value, server) }) ?? true {
                try requirePrivate(inputs.ciauthFile)
                return (.accessToken(token), .ciauthConfig)
            }
        }
        if let token = nonEmpty(env["CI_JOB_TOKEN"]), let ciServer = nonEmpty(env["CI_SERVER_URL"]),
            try sameServer(ciServer, server)
        {
            return (.jobToken(token), .ciJob)
        }
        return nil
    }

    /// A file holding a token must not be readable by other users, like `--token-file`.
    private static func requirePrivate(_ file: ConfigurationFile?) throws(GitLabError) {
        guard let file, let mode = file.mode, mode & 0o077 != 0 else { return }
        throw GitLabError(
            .invalidConfigFile,
            hint: "ciauth's configuration file \(file.path) holds a token and is readable by other users; run `chmod 600 \(file.path)`")
    }

    /// glab's default host as a URL, using that host's `api_protocol` and `api_host`.
    private static func glabServerURL(_ config: GlabConfig) -> String? {
        guard let host = config.defaultHost else { return nil }
        guard let entry = config.hosts[host] else { return host }
        return glabURL(for: host, entry)
    }

    private static func glabURL(for hostKey: String, _ entry: GlabConfig.Host) -> String {
        let scheme = entry.apiProtocol ?? "https"
        return "\(scheme)://\(entry.apiHost ?? hostKey)"
    }

    private static func sameServer(_ text: String, _ server: GitLabServer) throws(GitLabError) -> Bool {
        let other = try GitLabServer(withDefaultScheme(text))
        return other.origin == server.origin && (other.pathPrefix == server.pathPrefix || other.pathPrefix.isEmpty)
    }

    /// glab users write bare host names (`GITLAB_HOST=gitlab.example.com`).
    private static func withDefaultScheme(_ text: String) -> String {
        text.contains("://") ? text : "https://" + text
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }
}
