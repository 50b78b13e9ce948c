import Foundation
import GitLab

/// Before any touch, with the user's token: can this approval succeed? Cheap checks first, each
/// read once per run whatever the number of jobs (all jobs share one pipeline, commit and project):
/// the token (1 request), the committed policy (1), the approver list and player (none), the
/// approver's keys (1), the project's variable settings (1, not with `--sign-only`), the
/// pipeline's creator (1, only when the policy forbids self-approval) and group memberships (one
/// per group rule until one admits). Every refusal is an `ApproveError` with a named reason.
struct ApprovePrecheck {
    let gitlab: GitLabClient
    let request: ApproveRequest
    let note: @Sendable (String) -> Void
    let now: Date

    struct Result {
        /// The credentials to offer to the touch.
        let credentials: [EnrolledCredential]
        /// The committed policy sets `require_uv`: verification (PIN or built-in) is asked for
        /// whatever the credentials were enrolled with, or verify would refuse after the play.
        let requireUserVerification: Bool
    }

    /// The first and cheapest check, before the jobs are even read: the token that will play
    /// (not with `--sign-only`). Nil when GitLab does not describe the token.
    func checkToken() async throws -> PersonalAccessToken? {
        guard request.output == .play else { return nil }
        let margin = ApprovePrecheckToken.margin(touchTimeout: request.touchTimeout)
        return try await ApprovePrecheckToken.check(gitlab, now: now, margin: margin, note: note)
    }

    /// The rest, once the jobs, the approver and the project are known.
    func run(_ targets: ApproveTargets, token: PersonalAccessToken?, credentials: [EnrolledCredential]) async throws -> Result {
        let plays = request.output == .play
        guard let first = targets.jobs.first else { throw ApproveError(.noJobs, "no job to approve") }
        let policy = ApprovePrecheckPolicy(gitlab: gitlab, approver: targets.approver, project: targets.project)
        let committed = try await policy.read(sha: first.pipeline.sha, note: note)
        try policy.checkWithoutRequests(committed, tokenOwnerID: token?.userID, plays: plays)
        let keys = try await ApprovePrecheckKeys(gitlab: gitlab, approver: targets.approver)
            .usable(credentials, minimumKeyAge: committed.policy.minimumKeyAge, now: now, server: gitlab.server.description)
        if let left = ApprovePrecheckKeys.note(keys) { note(left) }
        if plays { try ApproveVariablesPermission.check(try await gitlab.project(.id(targets.project.id)), note: note) }
        try await policy.checkWithRequests(committed, pipelineID: first.pipeline.id)
        return Result(credentials: keys.usable, requireUserVerification: committed.policy.requireUserVerification)
    }
}
