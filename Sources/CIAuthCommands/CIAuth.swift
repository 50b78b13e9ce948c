import ArgumentParser
import CIAuthCore
import Dispatch

/// The root command: configuration only; each subcommand lives in its own file.
public struct CIAuth: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ciauth",
        abstract: "Approve GitLab CI jobs with a FIDO2 security key, and verify approvals inside the job.",
        version: CIAuthVersion.description,
        subcommands: [
            AuthCommand.self, EnrollCommand.self, ApproveCommand.self, VerifyCommand.self, GateCommand.self, KeysCommand.self, AuditCommand.self,
            DevicesCommand.self, DoctorCommand.self, CheckApprovalCommand.self,
        ]
    )

    public init() {}

    /// Parses and runs; a mistyped subcommand gets a suggestion instead of "unexpected argument".
    /// A synchronous command (check-approval, and `--help`/`--version` of any) runs on the main
    /// thread and never starts the concurrency runtime's threads; an asynchronous one runs as a
    /// task while the main queue is drained, as an `async` main would.
    public static func runFromCommandLine() -> Never {
        let given = Array(CommandLine.arguments.dropFirst())
        if let message = SubcommandSuggestion.message(for: given, root: CIAuth.self) {
            Terminal.error(message)
            exit(withError: ExitStatus.usage.exitCode)
        }
        let (arguments, notes) = LegacyBoolSpelling.rewrite(given)
        notes.forEach(Terminal.note)
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        guard let asyncCommand = command as? AsyncParsableCommand else {
            var command = command
            do { try command.run() } catch { exit(withError: error) }
            exit()
        }
        Task {
            var command = asyncCommand
            do { try await command.run() } catch { exit(withError: error) }
            exit()
        }
        dispatchMain()
    }
}
