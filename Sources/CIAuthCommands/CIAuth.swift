import ArgumentParser
import CIAuthCore

/// The root command: configuration only; each subcommand lives in its own file.
public struct CIAuth: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ciauth",
        abstract: "Approve GitLab CI jobs with a FIDO2 security key, and verify approvals inside the job.",
        version: CIAuthVersion.current,
        subcommands: [
            EnrollCommand.self, ApproveCommand.self, VerifyCommand.self, GateCommand.self, KeysCommand.self, AuditCommand.self,
            DevicesCommand.self, DoctorCommand.self, CheckApprovalCommand.self,
        ]
    )

    public init() {}
}
