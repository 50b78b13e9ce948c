import ArgumentParser
import CIAuthCore

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

    /// Reads the command line and runs the command. The commands every job and gate runs are read
    /// directly when their line is ordinary (DirectInvocation); everything else, including every
    /// error message, goes through the full parser. A mistyped subcommand gets a suggestion
    /// instead of "unexpected argument".
    public static func runFromCommandLine() -> Never {
        let given = Array(CommandLine.arguments.dropFirst())
        let (arguments, notes) = LegacyBoolSpelling.rewrite(given)
        if let direct = DirectInvocation.read(arguments) {
            notes.forEach(Terminal.note)
            direct.run.start()
        }
        if let message = SubcommandSuggestion.message(for: given, root: CIAuth.self) {
            Terminal.error(message)
            exit(withError: ExitStatus.usage.exitCode)
        }
        notes.forEach(Terminal.note)
        do {
            CommandRun(try parseAsRoot(arguments)).start()
        } catch {
            exit(withError: error)
        }
    }
}
