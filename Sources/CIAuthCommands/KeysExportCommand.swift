import ArgumentParser
import CIAuthCore

/// `ciauth keys export --allowed-signers`: approvers' keys as an OpenSSH allowed_signers file.
struct KeysExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print an OpenSSH allowed_signers file of active users' unexpired security signing keys.",
        discussion: "Principal = GitLab username, restricted to the approval namespace; valid-before follows the key's expiry. Use it with `ssh-keygen -Y verify -f FILE` or `ciauth audit verify --allowed-signers FILE`."
    )

    @Flag(help: "Write the allowed_signers format (the only format; required for clarity).")
    var allowedSigners = false

    @Option(help: ArgumentHelp("Export the keys of every member of this group.", valueName: "group"))
    var group: String?

    @Option(help: ArgumentHelp("Export this user's keys (repeatable).", valueName: "name"))
    var user: [String] = []

    @OptionGroup var server: ServerOptions
    /// Only `-v`: the allowed_signers file is the one output format, so there is no `--json`.
    @OptionGroup var logging: VerboseOption

    func validate() throws {
        guard allowedSigners else { throw ValidationError("say which format: --allowed-signers") }
        if group != nil, !user.isEmpty { throw ValidationError("give --group or --user, not both") }
    }

    func run() async throws {
        let context = CommandContext(verbose: logging.verbose)
        let scope: KeysScope = group.map { .group($0) } ?? (user.isEmpty ? .currentUser : .users(user))
        do {
            // Named users' public keys are served without a token; a group or "me" needs one.
            let text = try await context.withGitLab(server, anonymous: !user.isEmpty) { client in
                try await KeysExport(client: client).allowedSigners(of: scope)
            }
            if text.isEmpty {
                Terminal.warning("no active user in scope has an unexpired security signing key")
            } else {
                Terminal.output(text)
            }
        } catch {
            throw Failure.report(error)
        }
    }
}
