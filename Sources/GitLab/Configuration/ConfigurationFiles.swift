import Foundation

/// Where the two configuration files live, and reading them for the resolver.
public enum ConfigurationFiles {
    /// glab's `config.yml`: `$GLAB_CONFIG_DIR`, else `$XDG_CONFIG_HOME/glab-cli`, else `~/.config/glab-cli`.
    public static func glabConfigPath(environment: [String: String]) -> String? {
        if let dir = nonEmpty(environment["GLAB_CONFIG_DIR"]) { return dir + "/config.yml" }
        return configHome(environment).map { $0 + "/glab-cli/config.yml" }
    }

    /// ciauth's `config.toml`: `$XDG_CONFIG_HOME/ciauth`, else `~/.config/ciauth`.
    public static func ciauthConfigPath(environment: [String: String]) -> String? {
        configHome(environment).map { $0 + "/ciauth/config.toml" }
    }

    /// Resolver inputs with both files read (a missing file is simply absent).
    public static func inputs(
        serverFlag: String?, tokenFlag: String?, tokenKind: TokenKind = .accessToken,
        environment: [String: String]
    ) throws(GitLabError) -> GitLabConfigurationInputs {
        GitLabConfigurationInputs(
            serverFlag: serverFlag, tokenFlag: tokenFlag, tokenKind: tokenKind, environment: environment,
            glabConfig: try read(glabConfigPath(environment: environment)),
            ciauthConfig: try read(ciauthConfigPath(environment: environment)))
    }

    private static func read(_ path: String?) throws(GitLabError) -> String? {
        guard let path, FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GitLabError(.invalidConfigFile, hint: "cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GitLabError(.invalidConfigFile, hint: "\(path) is not UTF-8 text")
        }
        return text
    }

    private static func configHome(_ environment: [String: String]) -> String? {
        if let xdg = nonEmpty(environment["XDG_CONFIG_HOME"]) { return xdg }
        return nonEmpty(environment["HOME"]).map { $0 + "/.config" }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
