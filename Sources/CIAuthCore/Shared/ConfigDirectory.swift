import Foundation

/// Where ciauth keeps its files: `$XDG_CONFIG_HOME/ciauth` (default `~/.config/ciauth`).
public struct ConfigDirectory: Sendable, Equatable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// Resolves the directory from the environment, following the XDG base directory rules:
    /// a relative `XDG_CONFIG_HOME` is ignored.
    public init(environment: [String: String]) throws(ConfigDirectoryError) {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            url = URL(fileURLWithPath: xdg).appendingPathComponent("ciauth")
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            url = URL(fileURLWithPath: home).appendingPathComponent(".config/ciauth")
        } else {
            throw .noHome
        }
    }

    public var configFile: URL { url.appendingPathComponent("config.toml") }
    public var keysDirectory: URL { url.appendingPathComponent("keys") }
}

public enum ConfigDirectoryError: Error, Equatable, CustomStringConvertible {
    case noHome

    public var description: String {
        "cannot find the configuration directory: neither XDG_CONFIG_HOME nor HOME is an absolute path"
    }
}
