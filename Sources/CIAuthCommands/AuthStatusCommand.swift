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
    @OptionGroup var logging: VerboseOption

    func run() async throws {
        let context = CommandContext(verbose: logging.verbose)
        do {
            let resolved = try context.resolveGitLab(server)
            Terminal.output("server: \(resolved.server) (from \(origin(resolved.serverSource, file: resolved.serverFile, token: false)))")
            guard let tokenSource = resolved.tokenSource else {
                Terminal.output("token:  none")
                throw GitLabError(
                    .missingToken,
                    hint: "not logged in to \(resolved.server): run `ciauth auth login`, set CIAUTH_TOKEN, or pass --token-file")
            }
            Terminal.output("token:  \(resolved.credentials) (from \(origin(tokenSource, file: resolved.tokenFile, token: true)))")
            if case .jobToken = resolved.credentials { return }
            let report = try await context.withGitLab(server) { client in
                try await AuthProbe(client: client).describe(server: resolved.server)
            }
            Terminal.output("user:   @\(report.username) (\(report.name))")
            Terminal.output("scopes: \(report.summary)\(report.tokenName.map { " (token \"\($0)\")" } ?? "")")
        } catch let error as AuthError {
            Terminal.error(error.message)
            throw ExitStatus.configuration.exitCode
        } catch {
            throw Failure.report(error)
        }
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
