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

/// Everything resolution looks at; the caller reads files and the environment, the resolver is pure.
public struct GitLabConfigurationInputs: Sendable {
    public var serverFlag: String?
    public var tokenFlag: String?
    public var tokenKind: TokenKind
    public var environment: [String: String]
    /// Contents of glab's `config.yml`, nil when absent.
    public var glabConfig: String?
    /// Contents of ciauth's `config.toml`, nil when absent.
    public var ciauthConfig: String?

    public init(
        serverFlag: String? = nil, tokenFlag: String? = nil, tokenKind: TokenKind = .accessToken,
        environment: [String: String] = [:], glabConfig: String? = nil, ciauthConfig: String? = nil
    ) {
        self.serverFlag = serverFlag
        self.tokenFlag = tokenFlag
        self.tokenKind = tokenKind
        self.environment = environment
        self.glabConfig = glabConfig
        self.ciauthConfig = ciauthConfig
    }
}

public struct ResolvedGitLabConfiguration: Sendable {
    public let server: GitLabServer
    public let credentials: GitLabCredentials
    public let serverSource: ConfigurationSource
    /// nil when no token was found (anonymous).
    public let tokenSource: ConfigurationSource?
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
public enum GitLabConfigurationResolver {
    public static func resolve(_ inputs: GitLabConfigurationInputs) throws(GitLabError) -> ResolvedGitLabConfiguration {
        let glab = try inputs.glabConfig.map { text throws(GitLabError) in try GlabConfig(parsing: text) }
        let ciauth = try inputs.ciauthConfig.map { text throws(GitLabError) in try CIAuthConfigFile(parsing: text) }
        let (server, serverSource) = try resolveServer(inputs, glab: glab, ciauth: ciauth)
        let token = try resolveToken(inputs, server: server, glab: glab, ciauth: ciauth)
        return ResolvedGitLabConfiguration(
            server: server, credentials: token?.0 ?? .anonymous, serverSource: serverSource, tokenSource: token?.1)
    }

    private static func resolveServer(
        _ inputs: GitLabConfigurationInputs, glab: GlabConfig?, ciauth: CIAuthConfigFile?
    ) throws(GitLabError) -> (GitLabServer, ConfigurationSource) {
        let env = inputs.environment
        let candidates: [(String?, ConfigurationSource)] = [
            (inputs.serverFlag, .flag),
            (env["CIAUTH_SERVER"], .ciauthEnvironment),
            (env["GITLAB_HOST"], .glabEnvironment),
            (glab.flatMap(glabServerURL), .glabConfig),
            (ciauth?.server, .ciauthConfig),
            (env["CI_SERVER_URL"], .ciJob),
        ]
        for (value, source) in candidates {
            guard let value = value?.trimmingSpaces, !value.isEmpty else { continue }
            do {
                return (try GitLabServer(withDefaultScheme(value)), source)
            } catch {
                throw GitLabError(error.code, hint: "\(error.hint ?? "invalid server") (from \(source.rawValue))")
            }
        }
        throw GitLabError(
            .missingServer,
            hint: "no GitLab server configured: pass --server, set CIAUTH_SERVER, or add server = \"https://…\" to ciauth's config.toml")
    }

    private static func resolveToken(
        _ inputs: GitLabConfigurationInputs, server: GitLabServer, glab: GlabConfig?, ciauth: CIAuthConfigFile?
    ) throws(GitLabError) -> (GitLabCredentials, ConfigurationSource)? {
        let env = inputs.environment
        if let token = nonEmpty(inputs.tokenFlag) { return (inputs.tokenKind.credentials(token), .flag) }
        if let token = nonEmpty(env["CIAUTH_TOKEN"]) { return (.accessToken(token), .ciauthEnvironment) }
        if let token = nonEmpty(env["GITLAB_TOKEN"]) { return (.accessToken(token), .glabEnvironment) }
        if let host = glab?.hosts[server.hostKey], let token = nonEmpty(host.token),
            try sameServer(glabURL(for: server.hostKey, host), server)
        {
            return (host.isOAuth2 ? .oauth(token) : .accessToken(token), .glabConfig)
        }
        if let ciauth, let token = nonEmpty(ciauth.token) {
            if try ciauth.server.map({ value throws(GitLabError) in try sameServer(value, server) }) ?? true {
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
