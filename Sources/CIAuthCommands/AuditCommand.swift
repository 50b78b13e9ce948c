import ArgumentParser

/// `ciauth audit`: work with the records `ciauth verify` writes.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Re-check the audit records of verified approvals.",
        subcommands: [AuditVerifyCommand.self]
    )
}
