import ArgumentParser
import CIAuthCore
import Foundation
import GitLab

/// What `ciauth verify` was told, as plain values (read by the full parser or directly), and
/// the run itself.
struct VerifyInvocation: Equatable, Sendable {
    var flags = VerifyRequest.Flags()
    /// The former name of --read-token-variable.
    var membersTokenVariable: String?
    var caFile: String?
    var proxy: String?
    var json = false
    var verbose = false

    static let direct = DirectCommandLine<Self>(
        options: [
            ("--server", .value { $0.flags.server = $1 }),
            ("--project", .value { $0.flags.project = $1 }),
            ("--job-name", .value { $0.flags.jobName = $1 }),
            ("--environment", .value { $0.flags.environment = $1 }),
            ("--variable", .value { $0.flags.approvalVariable = $1 }),
            ("--policy-file", .value { $0.flags.policyFile = $1 }),
            ("--allowed-signers", .value { $0.flags.allowedSignersFile = $1 }),
            ("--approver", .repeatable { $0.flags.approvers.append($1) }),
            ("--approver-group", .repeatable { $0.flags.approverGroups.append($1) }),
            ("--read-token-variable", .value { $0.flags.readTokenVariable = $1 }),
            ("--members-token-variable", .value { $0.membersTokenVariable = $1 }),
            ("--approver-must-be-player", .flag { $0.flags.approverMustBePlayer = true }),
            ("--no-approver-must-be-player", .flag { $0.flags.approverMustBePlayer = false }),
            ("--require-uv", .flag { $0.flags.requireUserVerification = true }),
            ("--no-require-uv", .flag { $0.flags.requireUserVerification = false }),
            ("--max-age", .value { $0.flags.maximumAge = $1 }),
            ("--min-key-age", .value { $0.flags.minimumKeyAge = $1 }),
            ("--allow-self-approval", .flag { $0.flags.allowSelfApproval = true }),
            ("--no-allow-self-approval", .flag { $0.flags.allowSelfApproval = false }),
            ("--audit-file", .value { $0.flags.auditFile = $1 }),
            ("--dotenv", .value { $0.flags.dotenvFile = $1 }),
            ("--ca-file", .value { $0.caFile = $1 }),
            ("--proxy", .value { $0.proxy = $1 }),
            ("--no-checkout", .flag { $0.flags.noCheckout = true }),
            ("--json", .flag { $0.json = true }),
            ("--verbose", .flag { $0.verbose = true }),
            ("-v", .flag { $0.verbose = true }),
        ],
        pairs: [
            ("--no-approver-must-be-player", "--approver-must-be-player"), ("--no-require-uv", "--require-uv"),
            ("--no-allow-self-approval", "--allow-self-approval"), ("-v", "--verbose"),
        ],
        isValid: { $0.problem == nil })

    /// Why these settings cannot run; nil when they can.
    var problem: String? {
        if let old = membersTokenVariable, let new = flags.readTokenVariable, old != new {
            return "--members-token-variable is the old name of --read-token-variable: give one of them"
        }
        return nil
    }

    func run() async throws {
        let context = CommandContext(verbose: verbose)
        // Never from the environment: a job variable could name an intercepting proxy or the
        // attacker's CA. Only the flags, literal in the pipeline definition.
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let clientOptions: GitLabClientOptions
        do {
            clientOptions = try GitLabClientOptions.pinned(caFile: caFile, proxy: proxy.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            // Not accepted, so no dotenv report may be left for `artifacts:` to upload.
            if let dotenv = flags.dotenvFile, let problem = VerifyFiles.discardDotenv(dotenv, in: directory) {
                Terminal.warning(problem)
            }
            throw Failure.report(error)
        }
        var flags = flags
        flags.readTokenVariable = flags.readTokenVariable ?? membersTokenVariable
        let request = VerifyRequest(
            flags: flags, environment: context.environment, currentDirectory: directory,
            clientOptions: clientOptions, logger: context.logger)
        let report = await VerifyWorkflow.run(request)
        try finish(report)
    }

    private func finish(_ report: VerifyReport) throws {
        if json {
            Terminal.output(report.json)
        } else {
            for line in report.checks { Terminal.output(Terminal.safe("ok  " + line)) }
            if let plain = report.plainForm { Terminal.output("approved statement:\n" + plain) }
        }
        for problem in report.fileErrors { Terminal.warning(problem) }
        guard let failure = report.failure else {
            if !json, let accepted = report.accepted {
                Terminal.output("APPROVED by @\(accepted.approver) with key \(accepted.keyFingerprint)")
            }
            return
        }
        Terminal.error("\(failure.reason): \(failure.explanation)")
        Terminal.note("what to do: \(failure.remedy)")
        throw (failure.failureClass.map { Failure.exitStatus(for: $0) } ?? .configuration).exitCode
    }
}
