import Foundation
import GitLab

/// The policy the job will verify, as far as approve can know it: the `.ciauth.yml` committed at
/// the pipeline's SHA, read through the repository files API (absent: verify's defaults), parsed
/// and evaluated by the same code as verify (`RepositoryPolicy`, `CommittedPolicy`,
/// `ApproverRules`). Flags of the verify command in the pipeline definition can replace parts of
/// it; approve cannot see them (docs/approve.md).
struct ApprovePrecheckPolicy {
    let gitlab: GitLabClient
    let approver: ApproveApprover
    let project: ApproveProject

    /// Reads and parses the committed file; a file verify could not parse, or one GitLab does not
    /// show, is a refusal.
    func read(sha: String, note: (String) -> Void) async throws -> CommittedPolicy {
        let name = RepositoryPolicy.fileName
        let bytes: [UInt8]?
        do {
            bytes = try await gitlab.repositoryFile(name, ref: sha, in: .id(project.id))
        } catch {
            guard [.forbidden, .notFound, .insufficientScope].contains(error.code) else { throw error }
            throw ApproveError.refused(
                "policy-unreadable",
                "GitLab does not show \(name) at commit \(sha) of \(project.path) to you (\(error)), so whether `ciauth verify` "
                    + "would accept your approval cannot be checked; ask for at least Reporter access, or another person to approve. Nothing was signed")
        }
        guard let bytes else {
            note("Policy: no \(name) at \(sha.prefix(8)); checked against verify's defaults.")
            return CommittedPolicy(nil)
        }
        do throws(RepositoryPolicyError) {
            return CommittedPolicy(try RepositoryPolicy.parse(bytes, origin: "\(name) at \(sha)"))
        } catch {
            throw ApproveError.refused(
                "policy-file-invalid",
                "\(error.description) (at commit \(sha)): `ciauth verify` refuses every approval of this pipeline; "
                    + "fix \(name) in the repository and run a new pipeline. Nothing was signed")
        }
    }

    /// The rules that need no request: the approver list (without group rules) and who plays.
    func checkWithoutRequests(_ committed: CommittedPolicy, tokenOwnerID: Int?, plays: Bool) throws {
        if let allowed = committed.policy.allowedApprovers, !ApproverList.allows(allowed, approver.username, id: approver.id) {
            throw ApproveError.refused(
                ApprovalRejection.Reason.approverNotAllowed.rawValue,
                "the .ciauth.yml of this commit lets only \(allowed.sorted().joined(separator: ", ")) approve, not @\(approver.username) "
                    + "(user \(approver.id)); ask one of them. Nothing was signed")
        }
        if plays, committed.approverMustBePlayer, let owner = tokenOwnerID, owner != approver.id {
            throw ApproveError.refused(
                ApprovalRejection.Reason.approverNotPlayer.rawValue,
                "the approval would name @\(approver.username) (user \(approver.id)), but the token belongs to user \(owner), who would play the job, "
                    + "and the policy requires the approver to play it; use @\(approver.username)'s own token, or --sign-only for another player "
                    + "when the policy sets approver_must_be_player: false. Nothing was signed")
        }
    }

    /// Self-approval (the pipeline's creator, `GET /projects/:id/pipelines/:id`, read only when the
    /// policy forbids it) and group rules (one membership read per group until one admits).
    func checkWithRequests(_ committed: CommittedPolicy, pipelineID: Int) async throws {
        if !committed.policy.allowSelfApproval { try await checkSelfApproval(pipelineID: pipelineID) }
        let rules = committed.approverRules
        guard !rules.groupRules.isEmpty, !rules.isListed(approver.username, id: approver.id) else { return }
        for rule in rules.groupRules {
            let admitted = try await admits(rule)
            if admitted { return }
        }
        throw ApproveError.refused(
            "approver-not-member",
            "the .ciauth.yml of this commit lets only active members of \(rules.groupsDescription)"
                + (rules.approvers.map { " or the listed approvers (\($0.joined(separator: ", ")))" } ?? "")
                + " approve, and @\(approver.username) is none; ask a member to approve. Nothing was signed")
    }

    /// A group the user may not see (403, or 404 from `member`) is one they are not a member of.
    private func admits(_ rule: RepositoryPolicy.GroupRule) async throws -> Bool {
        let member: GitLabMember?
        do {
            member = try await gitlab.member(of: .group(rule.group), userID: approver.id)
        } catch {
            guard error.code == .forbidden else { throw error }
            return false
        }
        guard let member else { return false }
        return rule.admits(member, now: Date())
    }

    private func checkSelfApproval(pipelineID: Int) async throws {
        let pipeline = try await gitlab.pipeline(pipelineID, in: .id(project.id))
        guard let creator = pipeline.user?.username else {
            throw ApproveError.refused(
                ApprovalRejection.Reason.selfApprovalUndecidable.rawValue,
                "the policy forbids self-approval, and GitLab names no creator of pipeline \(pipelineID), so `ciauth verify` would refuse; "
                    + "run a new pipeline. Nothing was signed")
        }
        if ApprovalPolicy.isSelfApproval(creator: creator, approver: approver.username) {
            throw ApproveError.refused(
                ApprovalRejection.Reason.selfApproval.rawValue,
                "you (@\(approver.username)) started pipeline \(pipelineID), and the policy forbids approving your own pipeline; "
                    + "ask another approver. Nothing was signed")
        }
    }
}
