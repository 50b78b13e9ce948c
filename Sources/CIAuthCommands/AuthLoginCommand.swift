import ArgumentParser
import CIAuthCore
import FIDO2
import Foundation
import GitLab

/// `ciauth auth login`: checks a token with GitLab and keeps it in ciauth's config.toml.
struct AuthLoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Check a GitLab token and keep it, with the server, in ciauth's config.toml (mode 0600).",
        discussion: """
            The token is asked for on the terminal without echo, or read from stdin when stdin is \
            not a terminal (--token-file - says so explicitly). GitLab checks it (GET /user and \
            GET /personal_access_tokens/self) before anything is saved; the account, scopes and \
            expiry are shown. Create a personal access token with scope api under User settings > \
            Access tokens: approve, enroll and keys revoke need api; read_api suffices to list.
            """
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var logging: VerboseOption

    func run() async throws {
        let context = CommandContext(verbose: logging.verbose)
        do {
            var serverOnly = server
            serverOnly.tokenFile = nil
            let target = try context.resolveGitLab(serverOnly).server
            let token = try readToken(for: target)
            let client = try context.makeGitLabClient(server: target, credentials: .accessToken(token), caFile: server.caFile)
            let outcome: (report: AuthTokenReport, file: String)
            do {
                outcome = try await AuthLogin(client: client, configDirectory: try ConfigDirectory(environment: context.environment))
                    .run(AuthLoginRequest(server: target, token: token))
                try? await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
            let report = outcome.report
            Terminal.note("Logged in to \(report.server) as @\(report.username) (\(report.name)).")
            Terminal.note("Token \(report.tokenName.map { "\"\($0)\"" } ?? "(not a personal access token)"): \(report.summary).")
            if let scopes = report.scopes, !scopes.contains("api") {
                Terminal.warning("approve, enroll and keys revoke need a token with scope api; this one can only read")
            }
            Terminal.note("Saved to \(outcome.file) (readable only by you).")
        } catch let error as AuthError {
            Terminal.error(error.message)
            throw (error.code == .tokenUnusable ? ExitStatus.configuration : ExitStatus.failure).exitCode
        } catch {
            throw Failure.report(error)
        }
    }

    /// `--token-file` (or `-` for stdin), else the terminal without echo, else stdin.
    private func readToken(for target: GitLabServer) throws -> String {
        if let path = server.tokenFile { return try CommandContext.readTokenFile(path) }
        guard Terminal.stdinIsTTY else { return try CommandContext.readTokenFile("-") }
        Terminal.note("Create a token with scope api at \(target)/-/user_settings/personal_access_tokens")
        guard let entered = try TerminalPrompt.readSecret(prompt: "GitLab token for \(target): ") else {
            Terminal.note("Cancelled: nothing was saved.")  // Ctrl-C or Ctrl-D at the prompt
            throw ExitStatus.cancelled.exitCode
        }
        let token = entered.trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else {
            throw GitLabError(.missingToken, hint: "no token was entered, so nothing was saved: run the command again and paste the token")
        }
        return token
    }
}
