import GitLab

/// The approver rules that need GitLab reads with the gate's own read token: group membership
/// (`approver_groups`) and self-approval (`allow_self_approval: false`). The rules are verify's
/// (`ApproverGroupCheck`, `PipelineCreatorRule`); the pipeline is the one the verified token
/// names, in the project the token names as running. When GitLab cannot be read, nothing passes.
extension GateState {
    /// Only when self-approval is forbidden and the approval names an approver to compare; the
    /// verifier then refuses `self-approval` when the creator is the approver.
    mutating func readPipelineCreator(_ client: GateClient, _ facts: inout JobFacts) async throws(GateFailure) {
        guard !policy.approval.allowSelfApproval, VerifyState.approverName(of: request.approval) != nil else { return }
        let reader = try client.withReadToken()
        let pipeline: GitLabPipeline
        do {
            pipeline = try await reader.pipeline(facts.pipelineID, in: .id(facts.projectID))
        } catch {
            throw Self.readFailure(error, "reading pipeline \(facts.pipelineID) of project \(facts.projectID)", policy: policy)
        }
        switch PipelineCreatorRule.read(pipeline, projectID: facts.projectID, pipelineID: facts.pipelineID, commitSHA: facts.commitSHA) {
        case .creator(let username):
            facts.pipelineCreator = username
            self.facts = facts
            checks.append("pipeline: \(facts.pipelineID) read with the read token agrees with the token (project, commit); created by @\(username)")
        case .disagrees(let field, let read, let truth):
            throw GateFailure(
                .pipelineReadMismatch,
                "the pipeline read with the read token has \(field) \(ApprovalStatement.quoted(read)), but the ID token says \(ApprovalStatement.quoted(truth))")
        case .unnamed:
            throw GateFailure(.selfApprovalUndecidable, "self-approval is forbidden, but GitLab names no creator of pipeline \(facts.pipelineID)")
        case .notAUsername(let name):
            throw GateFailure(
                .selfApprovalUndecidable,
                "self-approval is forbidden, but GitLab names the creator of pipeline \(facts.pipelineID) \(ApprovalStatement.quoted(name)), which is not a GitLab username")
        }
    }

    /// With `approver_groups`, an accepted approver must be listed in `approvers` or a member.
    mutating func checkApproverGroups(_ client: GateClient) async throws(GateFailure) {
        guard let accepted, !policy.approverGroups.isEmpty else { return }
        if let approvers = policy.approvers, ApproverList.allows(Set(approvers), accepted.approver, id: accepted.statement.approverID) {
            checks.append("approver: @\(accepted.approver) is a listed approver")
            return
        }
        let rules = ApproverGroupCheck(rules: policy.approverGroups)
        let reader = try client.withReadToken()
        let line: String?
        do throws(ApproverGroupCheck.ReadError) {
            line = try await rules.firstRuleMet(by: accepted.approver, id: accepted.statement.approverID, client: reader)
        } catch {
            throw Self.readFailure(error.error, error.action, policy: policy)
        }
        guard let line else {
            throw GateFailure(.approverNotMember, rules.notMemberExplanation(accepted.approver, listed: policy.approvers))
        }
        checks.append(line)
    }

    /// A token GitLab refuses is `read-token-refused`; a pipeline it does not show that token is
    /// `self-approval-undecidable`; anything else is GitLab being unreachable. All fail closed.
    static func readFailure(_ error: GitLabError, _ action: String, policy: GatePolicy) -> GateFailure {
        let file = policy.readTokenPath ?? "read_token_file"
        if ApproverGroupCheck.tokenRefusals.contains(error.code) {
            return GateFailure(.readTokenRefused, "\(policy.server) refused the gate's read token (\(file)) \(action): \(error)")
        }
        if error.code == .notFound, action.hasPrefix("reading pipeline") {
            return GateFailure(
                .selfApprovalUndecidable,
                "self-approval is forbidden, but the gate's read token (\(file)) may not read the pipeline (\(action)): \(error)")
        }
        return GateFailure(.gitlabUnreachable, "\(action) on \(policy.server) failed: \(error)")
    }
}
