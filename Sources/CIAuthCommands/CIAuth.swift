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

    /// Parses and runs; a mistyped subcommand gets a suggestion instead of "unexpected argument".
    public static func main() async {
        let given = Array(CommandLine.arguments.dropFirst())
        if let message = SubcommandSuggestion.message(for: given, root: CIAuth.self) {
            Terminal.error(message)
            exit(withError: ExitStatus.usage.exitCode)
        }
        let (arguments, notes) = LegacyBoolSpelling.rewrite(given)
        notes.forEach(Terminal.note)
        await main(arguments)
    }
}
