import Foundation

/// A configuration file as found on disk: where it is, its text or why it could not be read,
/// and its permission bits.
public struct ConfigurationFile: Sendable {
    public var path: String
    public var contents: Result<String, GitLabError>
    /// Permission bits (`0o600`), nil when unknown.
    public var mode: Int?

    public init(path: String, contents: Result<String, GitLabError>, mode: Int? = nil) {
        self.path = path
        self.contents = contents
        self.mode = mode
    }
}

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

    /// Resolver inputs with both files looked up. A file that cannot be read is not an error
    /// here: the resolver reports it, naming the file, only when it needs that file.
    public static func inputs(
        serverFlag: String?, tokenFlag: String?, tokenKind: TokenKind = .accessToken,
        environment: [String: String]
    ) -> GitLabConfigurationInputs {
        GitLabConfigurationInputs(
            serverFlag: serverFlag, tokenFlag: tokenFlag, tokenKind: tokenKind, environment: environment,
            glabFile: read(glabConfigPath(environment: environment)),
            ciauthFile: read(ciauthConfigPath(environment: environment)))
    }

    /// The file at `path`, nil when there is none.
    static func read(_ path: String?) -> ConfigurationFile? {
        guard let path, FileManager.default.fileExists(atPath: path) else { return nil }
        let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
        guard let data = FileManager.default.contents(atPath: path) else {
            return ConfigurationFile(path: path, contents: .failure(GitLabError(.invalidConfigFile, hint: "cannot read it")), mode: mode)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return ConfigurationFile(path: path, contents: .failure(GitLabError(.invalidConfigFile, hint: "not UTF-8 text")), mode: mode)
        }
        return ConfigurationFile(path: path, contents: .success(text), mode: mode)
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
