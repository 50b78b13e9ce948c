import Foundation
import GitLab
import Logging

/// What `ciauth approve` did.
public struct ApproveOutcome: Sendable {
    public let approvals: [SignedApproval]
    /// Per-job results of the plays; empty with `--sign-only`.
    public let jobs: [ApproveJobResult]

    /// The error to report when a job was not played.
    public var failure: ApproveError? {
        let failed = jobs.filter { !$0.succeeded }
        guard !failed.isEmpty else { return nil }
        let lines = failed.map { "job \($0.jobID) (\($0.name)): \($0.result.rawValue): \($0.error ?? "")" }
        let advice = failed.contains { [.unknown, .playedByAnother, .alreadyPlayed].contains($0.result) }
            ? " Check these jobs in GitLab before doing anything else; ciauth never plays a job twice."
            : ""
        return ApproveError(.playFailed, "\(failed.count) of \(jobs.count) job(s) not played:\n  " + lines.joined(separator: "\n  ") + advice)
    }
}

/// `ciauth approve`: fetch, show, confirm, one touch, sign, play (or print with `--sign-only`).
public struct ApproveWorkflow: Sendable {
    public let gitlab: GitLabClient
    public let store: CredentialStore
    public let keys: ApproveSecurityKeys
    public let interaction: ApproveInteraction
    public let now: @Sendable () -> Date

    public init(
        gitlab: GitLabClient, store: CredentialStore, keys: ApproveSecurityKeys, interaction: ApproveInteraction,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.gitlab = gitlab
        self.store = store
        self.keys = keys
        self.interaction = interaction
        self.now = now
    }

    public func run(_ request: ApproveRequest) async throws -> ApproveOutcome {
        let credentials = try ApproveSigning.choose(from: try store.list(), application: request.application)
        let recorded = ApproveApprover.recorded(for: credentials, in: store, server: gitlab.server.description, note: interaction.note)
        let precheck = ApprovePrecheck(gitlab: gitlab, request: request, note: interaction.note, now: now())
        let token = try await precheck.checkToken()
        let targets = try await ApproveTargetResolver(gitlab: gitlab, recordedApprover: recorded).resolve(request)
        let checked = try await precheck.run(targets, token: token, credentials: credentials)
        let statements = try ApproveStatements.make(
            for: targets, server: gitlab.server.description, reason: request.reason,
            validitySeconds: request.validitySeconds, now: now())
        interaction.note(ApproveSummary.text(targets, statements: statements, validitySeconds: request.validitySeconds))
        if !request.assumeYes {
            guard let answer = await interaction.confirm("Approve? [y/N] ") else {
                throw ApproveError(.confirmationUnavailable, "no terminal to confirm on: review what is approved and pass --yes to approve without a prompt")
            }
            guard answer else { throw ApproveError(.declined, "not approved") }
        }
        let signer = ApproveSigning(
            credentials: checked.credentials, keys: keys, interaction: interaction, timeout: request.touchTimeout,
            policyRequiresVerification: checked.requireUserVerification)
        let approvals = try await signer.sign(statements)
        guard request.output == .play else { return ApproveOutcome(approvals: approvals, jobs: []) }
        var work: [(job: GitLabJob, value: String)] = []
        for approval in approvals {
            let ids = Set(approval.statement.jobs.map(\.id))
            work += targets.jobs.filter { ids.contains($0.id) }.map { ($0, approval.transportValue) }
        }
        work.sort { $0.job.id < $1.job.id }
        let player = ApprovePlayer(gitlab: gitlab, projectID: targets.project.id, variable: request.variable, concurrency: request.concurrency)
        let results = await player.play(work)
        let check = ApprovePlayerCheck(approver: targets.approver, credentials: credentials, store: store, server: gitlab.server.description)
        if let warning = check.warning(for: results) { interaction.note(warning) }
        return ApproveOutcome(approvals: approvals, jobs: results)
    }
}
