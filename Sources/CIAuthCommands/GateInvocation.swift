import CIAuthCore
import Foundation
import GitLab

/// What `ciauth gate check` or `gate exec` was told, as plain values (read by the full parser or
/// directly), the decision both make, and the check's report.
struct GateInvocation: Equatable, Sendable {
    var policy = GatePolicy.defaultPath
    var idTokenFile: String?
    var approvalFile: String?
    var at: String?
    var verbose = false
    /// `gate check --json`.
    var json = false
    /// `gate exec -- COMMAND…`.
    var command: [String] = []

    private static let shared: [(spelling: String, option: DirectCommandLine<Self>.Option)] = [
        ("--policy", .value { $0.policy = $1 }),
        ("--id-token-file", .value { $0.idTokenFile = $1 }),
        ("--approval-file", .value { $0.approvalFile = $1 }),
        ("--at", .value { $0.at = $1 }),
        ("--verbose", .flag { $0.verbose = true }),
        ("-v", .flag { $0.verbose = true }),
    ]

    static let directCheck = DirectCommandLine<Self>(
        options: shared + [("--json", .flag { $0.json = true })],
        pairs: [("-v", "--verbose")],
        isValid: { $0.problem == nil })

    static let directExec = DirectCommandLine<Self>(
        options: shared, pairs: [("-v", "--verbose")], trailing: { $0.command = $1 },
        isValid: { $0.problem == nil && !$0.command.isEmpty })

    /// Why these settings cannot run; nil when they can.
    var problem: String? {
        if let at, InstantArgument.parse(at) == nil {
            return "--at '\(at)' is not an RFC 3339 time such as 2026-11-28T10:00:00Z"
        }
        return nil
    }

    /// Runs the decision; input errors become refusals with their own reasons.
    func decide() async -> GateReport {
        let context = CommandContext(verbose: verbose)
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
            policy: policy, idToken: input.idToken, approval: input.approval, now: at.flatMap(InstantArgument.parse) ?? Date(),
            clientOptions: options, logger: context.logger)
        return await GateWorkflow.run(request)
    }

    /// `gate check`: the decision as an exit status (and lines or JSON on stdout).
    func check() async throws {
        let report = await decide()
        if json {
            Terminal.output(report.json)
        } else {
            for line in report.checks { Terminal.output(Terminal.safe("ok  " + line)) }
        }
        for problem in report.fileErrors { Terminal.warning(problem) }
        if let failure = report.failure {
            Terminal.error(Terminal.safe("\(failure.reason): \(failure.explanation)"))
            throw Self.exitStatus(failure).exitCode
        }
        if !json, let facts = report.facts, let accepted = report.accepted {
            Terminal.output("PASSED job \(facts.jobID) approved by @\(accepted.approver) with key \(accepted.keyFingerprint)")
        }
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
