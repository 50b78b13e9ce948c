import ArgumentParser
import CIAuthCore
import Foundation
import SSHSig

/// `ciauth audit verify`: re-verifies recorded approvals offline or against current GitLab keys.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-verify audit records against an allowed_signers snapshot or the approvers' GitLab keys.",
        discussion: """
            Each record is checked again as of its recorded time and job: signature, touch flag, \
            registered key (usage, expiry), job binding and time window, and every recorded detail \
            (approver, key, flags, counter) must agree. A rejection whose reason the record decides \
            must be found again (rejection-confirmed); one that depended on the job's policy, pins \
            or environment is taken at its word once every earlier check passes (rejection-recorded). \
            Without --allowed-signers the approvers' current GitLab keys are used (a key deleted \
            since then makes its approvals fail). Exit status 1 when any record fails.
            """
    )

    @Argument(help: ArgumentHelp("Audit record files (one JSON record per line).", valueName: "file"), completion: .file())
    var files: [String]

    @Option(help: ArgumentHelp("OpenSSH allowed_signers snapshot to verify against, offline.", valueName: "path"), completion: .file())
    var allowedSigners: String?

    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one audit record file") }
    }

    func run() async throws {
        let context = CommandContext(output: output)
        do {
            let entries = try files.flatMap { path throws -> [AuditRecordFiles.Entry] in try AuditRecordFiles.read(path) }
            let keys = try await registry(for: entries, context: context)
            let checks = entries.map { AuditVerify.check($0, registry: keys.registry, refusals: keys.refusals) }
            show(checks)
            if checks.contains(where: { $0.result == .failed }) { throw ExitStatus.failure.exitCode }
        } catch {
            throw Failure.report(error)
        }
    }

    private func registry(for entries: [AuditRecordFiles.Entry], context: CommandContext) async throws -> AuditGitLabKeys {
        if let allowedSigners {
            guard let data = FileManager.default.contents(atPath: allowedSigners), let text = String(data: data, encoding: .utf8) else {
                throw KeysError(.unreadableAllowedSigners, "cannot read the allowed_signers file \(allowedSigners)")
            }
            return AuditGitLabKeys(registry: KeyRegistry(allowedSigners: try AllowedSigners(parsing: text)))
        }
        let approvers = AuditVerify.approvers(in: entries)
        // Users' public keys are served without a token.
        return try await context.withGitLab(server, anonymous: true) { client in
            try await AuditVerify.registry(approvers: approvers, client: client)
        }
    }

    private func show(_ checks: [AuditVerifyCheck]) {
        if output.json {
            Terminal.output(JSONOutput.document(.auditVerify, AuditVerifyJSON(records: checks)))
            return
        }
        let rows = checks.map { check -> [String] in
            let job = check.jobID.map { "\(check.projectPath ?? "?")#\($0)" } ?? "\(check.file):\(check.line)"
            var result = check.result.rawValue
            if let reason = check.reason, check.result != .verified { result += " (\(reason))" }
            return [job, check.approver ?? "-", check.keyFingerprint ?? "-", check.verifiedAt ?? "-", result]
        }
        Terminal.output(KeysOutput.table(["JOB", "APPROVER", "KEY", "TIME", "RESULT"], rows))
        for check in checks where check.result == .failed {
            Terminal.note("\(check.file):\(check.line): \(check.reason ?? "failed"): \(check.detail ?? "")")
        }
    }
}
