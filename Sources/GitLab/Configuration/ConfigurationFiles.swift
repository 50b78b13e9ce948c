import Foundation

/// Where the two configuration files live, and reading them for the resolver.
public enum ConfigurationFiles {
    /// glab's `config.yml`: `$GLAB_CONFIG_DIR`, else `$XDG_CONFIG_HOME/glab-cli`, else `~/.config/glab-cli`.
    /// Only absolute directories count: a relative one would name a file under the current directory,
    /// which inside a job is the checkout an attacker may control, so it is ignored like an unset one.
    public static func glabConfigPath(environment: [String: String]) -> String? {
        if let dir = absolute(environment["GLAB_CONFIG_DIR"]) { return dir + "/config.yml" }
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

    /// `$XDG_CONFIG_HOME`, else `$HOME/.config`; as the XDG rules say, a relative value is ignored.
    private static func configHome(_ environment: [String: String]) -> String? {
        if let xdg = absolute(environment["XDG_CONFIG_HOME"]) { return xdg }
        return absolute(environment["HOME"]).map { $0 + "/.config" }
    }

    /// The value if it is an absolute path; nil when unset, empty or relative.
    private static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return value
    }
}
