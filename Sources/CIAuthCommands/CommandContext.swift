import ArgumentParser
import CIAuthCore
import FIDO2
import Foundation
import GitLab
import Logging

/// What every command needs from its surroundings: the environment, a logger that is quiet
/// unless `-v` is given, and GitLab and device settings resolved from flags, environment and files.
struct CommandContext {
    let environment: [String: String]
    let logger: Logger

    init(output: OutputOptions, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(verbose: output.verbose, environment: environment)
    }

    init(verbose: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        var logger = Logger(label: "ciauth", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = verbose ? .debug : .critical
        self.logger = logger
    }

    /// The GitLab server and credentials, in the documented order: flags, `CIAUTH_*`, glab's
    /// variables and file, ciauth's config file, and inside a job `CI_SERVER_URL` + `CI_JOB_TOKEN`.
    func resolveGitLab(_ options: ServerOptions) throws -> ResolvedGitLabConfiguration {
        let token = try options.tokenFile.map(Self.readTokenFile)
        let inputs = ConfigurationFiles.inputs(
            serverFlag: try options.server.map(Self.serverURL), tokenFlag: token, environment: environment)
        return try GitLabConfigurationResolver.resolve(inputs)
    }

    /// A client for the resolved server; the caller shuts it down (see `withGitLab`). Unless
    /// `anonymous` is allowed, a missing token is reported before any request is sent.
    func makeGitLabClient(_ options: ServerOptions, anonymous: Bool = false) throws -> GitLabClient {
        let resolved = try resolveGitLab(options)
        if !anonymous, resolved.credentials == .anonymous {
            throw GitLabError(
                .missingToken,
                hint: "no GitLab token for \(resolved.server): run `ciauth auth login`, set CIAUTH_TOKEN, or pass --token-file")
        }
        return try makeGitLabClient(server: resolved.server, credentials: resolved.credentials, caFile: options.caFile)
    }

    func makeGitLabClient(server: GitLabServer, credentials: GitLabCredentials, caFile: String?) throws -> GitLabClient {
        let clientOptions = try GitLabClientOptions.fromEnvironment(environment, caFileFlag: caFile)
        return try GitLabClient(server: server, credentials: credentials, options: clientOptions, logger: logger)
    }

    /// Runs `body` with a client and always shuts the client down afterwards.
    func withGitLab<T>(
        _ options: ServerOptions, anonymous: Bool = false, _ body: (GitLabClient) async throws -> T
    ) async throws -> T {
        let client = try makeGitLabClient(options, anonymous: anonymous)
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Device addresses from `--device`, else `CIAUTH_DEVICE` (comma-separated); empty means
    /// "every connected key". A malformed `CIAUTH_DEVICE` is a configuration problem (78).
    func deviceAddresses(_ options: DeviceOptions) throws -> [DeviceAddress] {
        guard options.device.isEmpty else { return try options.device.map { try DeviceAddress(parsing: $0) } }
        do {
            return try (environment["CIAUTH_DEVICE"] ?? "").split(separator: ",").map { try DeviceAddress(parsing: String($0)) }
        } catch let error as FIDO2Error {
            let message = error.message.hasSuffix(".") ? String(error.message.dropLast()) : error.message
            throw ConfigurationProblem("CIAUTH_DEVICE: \(message)", fix: "correct CIAUTH_DEVICE or unset it")
        }
    }

    /// `--server` as given, or without a pasted `/api/v4` (the value of `CI_API_V4_URL`): ciauth
    /// adds the API path itself.
    static func serverURL(_ text: String) throws -> String {
        guard GitLabServer.namesAPIRoot(text) else { return text }
        let url = GitLabServer.baseURL(text)
        Terminal.note("note: using \(url) as the GitLab server (--server is the base URL; ciauth adds /api/v4 itself)")
        return url
    }

    /// Reads a token file (`-` for stdin): the first line, surrounding whitespace removed. A file
    /// must not be readable by others, like an SSH private key. Its problems are configuration
    /// errors (exit 78), as those of config.toml are: the command line itself is fine.
    static func readTokenFile(_ path: String) throws -> String {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return try token(in: String(decoding: data, as: UTF8.self), from: "standard input")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            // Not echoed: without a --token flag, the token itself is the likeliest thing given here.
            throw GitLabError(
                .invalidConfigFile,
                hint: "--token-file names no file (the value is not shown, in case it is a token): give the path of a file "
                    + "that holds the token, or - to read it from stdin")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw GitLabError(.invalidConfigFile, hint: "cannot read the token file \(path): it must be a readable text file")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = attributes?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw GitLabError(.invalidConfigFile, hint: "the token file \(path) is readable by other users; run `chmod 600 \(path)`")
        }
        return try token(in: text, from: "the token file \(path)")
    }

    private static func token(in text: String, from origin: String) throws -> String {
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !token.isEmpty else {
            let remedy = origin == "standard input"
                ? "pipe the token in (`--token-file - < token.txt`), or run `ciauth auth login` on a terminal to be asked for it"
                : "put the token on its first line"
            throw GitLabError(.invalidConfigFile, hint: "\(origin) holds no token: \(remedy)")
        }
        return token
    }
}
