import ArgumentParser
import CIAuthCore
import Foundation
import GitLab

/// `ciauth auth status`: which server and token are in use, where each came from, and what
/// GitLab says about the token.
struct AuthStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the GitLab server and token in use, where each came from, the account, scopes and expiry.",
        discussion: "Exit status 78 when no server or token is configured, 16 when GitLab refuses the token."
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let context = CommandContext(output: output)
        do {
            let resolved = try context.resolveGitLab(server)
            var status = AuthStatusJSON(
                server: resolved.server.description, serverSource: origin(resolved.serverSource, file: resolved.serverFile, token: false))
            defer { if output.json { Terminal.output(JSONOutput.document(.authStatus, status)) } }
            show("server: \(resolved.server) (from \(status.serverSource))")
            guard let tokenSource = resolved.tokenSource else {
                show("token:  none")
                throw GitLabError(
                    .missingToken,
                    hint: "not logged in to \(resolved.server): run `ciauth auth login`, set CIAUTH_TOKEN, or pass --token-file")
            }
            status.token = AuthStatusJSON.kind(resolved.credentials)
            status.tokenSource = origin(tokenSource, file: resolved.tokenFile, token: true)
            show("token:  \(resolved.credentials) (from \(status.tokenSource ?? ""))")
            if case .jobToken = resolved.credentials { return }
            let report = try await context.withGitLab(server) { client in
                try await AuthProbe(client: client).describe(server: resolved.server)
            }
            status.account = report
            show("user:   @\(report.username) (\(report.name))")
            show("scopes: \(report.scopesAndExpiry)\(report.tokenName.map { " (token \"\($0)\")" } ?? "")")
        } catch let error as AuthError {
            Terminal.error(error.message)
            throw ExitStatus.configuration.exitCode
        } catch {
            throw Failure.report(error)
        }
    }

    private func show(_ line: String) {
        if !output.json { Terminal.output(line) }
    }

    /// Where a setting came from, naming the flag, variable or file.
    private func origin(_ source: ConfigurationSource, file: String?, token: Bool) -> String {
        switch source {
        case .flag: token ? (server.tokenFile == "-" ? "--token-file - (stdin)" : "--token-file \(server.tokenFile ?? "")") : "--server"
        case .ciauthEnvironment: token ? "CIAUTH_TOKEN" : "CIAUTH_SERVER"
        case .glabEnvironment: token ? "GITLAB_TOKEN" : "GITLAB_HOST"
        case .glabConfig: "glab's configuration \(file ?? "config.yml")"
        case .ciauthConfig: "ciauth's configuration \(file ?? "config.toml")"
        case .ciJob: token ? "CI_JOB_TOKEN" : "CI_SERVER_URL"
        }
    }
}

/// `ciauth.auth.status/1`: never the token itself.
struct AuthStatusJSON: Encodable {
    let server: String
    let serverSource: String
    /// `access-token`, `oauth` or `job-token`; absent when there is none.
    var token: String?
    var tokenSource: String?
    /// What GitLab says about the token (absent for a job token, or when GitLab refused it).
    var account: AuthTokenReport?

    init(server: String, serverSource: String) {
        self.server = server
        self.serverSource = serverSource
    }

    static func kind(_ credentials: GitLabCredentials) -> String? {
        switch credentials {
        case .anonymous: nil
        case .accessToken: "access-token"
        case .oauth: "oauth"
        case .jobToken: "job-token"
        }
    }
}
