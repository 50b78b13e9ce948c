import ArgumentParser
import CIAuthCore
import Foundation
import GitLab

/// `ciauth gate`: at the deploy target, in front of the thing being protected.
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "At the deploy target: admit a job by its GitLab ID token and approval, under the target's own policy.",
        discussion: """
            Reads the job's ID token and approval from stdin, one line each (token first), or from \
            --id-token-file and --approval-file. Exit status 0 when the job may pass; 10 no approval, \
            11 malformed, 12 bad signature, 13 unknown key, 14 refused by policy, 15 tampering, \
            16 GitLab unreachable, 17 ID token refused, 18 job already passed, 1 pass store failure, \
            78 configuration error.
            """,
        subcommands: [GateCheckCommand.self, GateExecCommand.self]
    )
}

/// What both gate commands take.
struct GateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The gate's policy file (default /etc/ciauth/gate.yml).", valueName: "path"), completion: .file())
    var policy: String = GatePolicy.defaultPath

    @Option(help: ArgumentHelp("Read the ID token from this file instead of stdin.", valueName: "path"), completion: .file())
    var idTokenFile: String?

    @Option(help: ArgumentHelp("Read the approval (transport value) from this file instead of stdin.", valueName: "path"), completion: .file())
    var approvalFile: String?

    @Option(help: ArgumentHelp("Judge the time rules at this instant (RFC 3339, e.g. 2026-11-28T10:00:00Z) instead of now.", valueName: "time"))
    var at: String?

    @OptionGroup var logging: VerboseOption

    func validate() throws {
        if let at, GateOptions.instant(at) == nil {
            throw ValidationError("--at '\(at)' is not an RFC 3339 time such as 2026-11-28T10:00:00Z")
        }
    }

    static func instant(_ text: String) -> Date? {
        InstantArgument.parse(text)
    }

    /// Runs the decision; input errors become refusals with their own reasons.
    func decide() async -> GateReport {
        let context = CommandContext(verbose: logging.verbose)
        let policy: GatePolicy
        do {
            policy = try GatePolicy.load(path: self.policy)
        } catch {
            return GateReport.refused(error)
        }
        let input: GateInput
        do {
            input = try GateInput.read(idTokenFile: idTokenFile, approvalFile: approvalFile)
        } catch {
            return GateReport.refused(error, policy: policy)
        }
        var options = GitLabClientOptions(connectTimeout: .seconds(5), requestTimeout: .seconds(10), retry: RetryPolicy(maxRetries: 1))
        options.proxy = nil
        let request = GateRequest(
            policy: policy, idToken: input.idToken, approval: input.approval, now: at.flatMap(Self.instant) ?? Date(),
            clientOptions: options, logger: context.logger)
        return await GateWorkflow.run(request)
    }

    static func exitStatus(_ failure: GateFailure) -> ExitStatus {
        switch failure.failureClass {
        case .noApproval: .noApproval
        case .malformed: .malformedApproval
        case .badSignature: .badSignature
        case .unknownKey: .unknownKey
        case .policy: .policy
        case .tampering: .tampering
        case .gitlabUnreachable: .gitlab
        case .idToken: .idTokenRefused
        case .alreadyPassed: .alreadyPassed
        case .store: .failure
        case .configuration: .configuration
        }
    }
}

/// `ciauth gate check`: the decision as an exit status, for scripts.
struct GateCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Decide whether the job may pass; exit status 0 when it may (records the pass).")

    @OptionGroup var gate: GateOptions

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func run() async throws {
        let report = await gate.decide()
        if json {
            Terminal.output(report.json)
        } else {
            for line in report.checks { Terminal.output(Terminal.safe("ok  " + line)) }
        }
        for problem in report.fileErrors { Terminal.warning(problem) }
        if let failure = report.failure {
            Terminal.error(Terminal.safe("\(failure.reason): \(failure.explanation)"))
            throw GateOptions.exitStatus(failure).exitCode
        }
        if !json, let facts = report.facts, let accepted = report.accepted {
            Terminal.output("PASSED job \(facts.jobID) approved by @\(accepted.approver) with key \(accepted.keyFingerprint)")
        }
    }
}
