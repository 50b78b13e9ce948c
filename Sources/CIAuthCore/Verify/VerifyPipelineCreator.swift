import GitLab

/// Who created the pipeline, for a policy that forbids self-approval. Only the newest GitLab
/// versions let a job token read pipelines, so the read-only token (`VerifyReadToken`) reads
/// `GET /projects/:id/pipelines/:id`;
/// the answer must describe the job's own pipeline (project, id, commit) before its `user` counts
/// (`PipelineCreatorRule`, shared with the gate).
struct VerifyPipelineCreator {
    let readToken: VerifyReadToken

    /// The creator's username, or a named failure: `self-approval-undecidable` (no token, no
    /// creator or not a username, a token that may not read the pipeline), `pipeline-read-mismatch` (GitLab's
    /// pipeline is not the job's), `gitlab-unreachable`.
    func creator(of facts: JobFacts) async throws(VerifyFailure) -> String {
        if let missing = readToken.missing {
            throw Self.undecidable(
                "self-approval is forbidden, but the pipeline's creator cannot be read (not every GitLab version lets the job token read pipelines): \(missing)",
                remedy: VerifyReadToken.remedy + ", or allow self-approval")
        }
        let pipeline = try await readToken.withClient { (client) throws(VerifyFailure) -> GitLabPipeline in
            do throws(GitLabError) {
                return try await client.pipeline(facts.pipelineID, in: .id(facts.projectID))
            } catch {
                throw refusal(error, facts: facts)
            }
        }
        return try Self.creator(of: pipeline, agreeingWith: facts)
    }

    /// A token GitLab refuses leaves the creator unknown; anything else is GitLab being unreachable.
    private func refusal(_ error: GitLabError, facts: JobFacts) -> VerifyFailure {
        let refusals: Set<GitLabError.Code> = [.unauthorized, .forbidden, .insufficientScope, .notFound]
        guard refusals.contains(error.code) else {
            return .gitlab("reading pipeline \(facts.pipelineID) on \(facts.server) with the read token", error)
        }
        let variable = readToken.settings.readTokenVariable ?? "the read token variable"
        return Self.undecidable(
            "self-approval is forbidden, but the token in \(variable) may not read pipeline \(facts.pipelineID): \(error)",
            remedy: "put a valid token with the read_api scope and at least Reporter access to \(facts.projectPath) in \(variable)")
    }

    /// GitLab's pipeline must be the job's (project, id, commit); then its `user` is the creator.
    static func creator(of pipeline: GitLabPipeline, agreeingWith facts: JobFacts) throws(VerifyFailure) -> String {
        switch PipelineCreatorRule.read(pipeline, projectID: facts.projectID, pipelineID: facts.pipelineID, commitSHA: facts.commitSHA) {
        case .creator(let username):
            return username
        case .disagrees(let field, let read, let truth):
            throw VerifyFailure(
                "pipeline-read-mismatch", .tampering,
                "the pipeline read with the read token has \(field) \(ApprovalStatement.quoted(read)), "
                    + "but the job token's answer says \(ApprovalStatement.quoted(truth))",
                remedy: answersRewrittenRemedy(facts))
        case .unnamed:
            throw undecidable(
                "self-approval is forbidden, but GitLab names no creator of pipeline \(pipeline.id)",
                remedy: "run a new pipeline (its creator must be a GitLab user), or allow self-approval")
        case .notAUsername(let name):
            throw undecidable(
                "self-approval is forbidden, but GitLab names the creator of pipeline \(pipeline.id) "
                    + "\(ApprovalStatement.quoted(name)), which is not a GitLab username",
                remedy: answersRewrittenRemedy(facts))
        }
    }

    private static func answersRewrittenRemedy(_ facts: JobFacts) -> String {
        "check that nothing between the runner and \(facts.server) rewrites GitLab's answers, then retry the job"
    }

    private static func undecidable(_ explanation: String, remedy: String) -> VerifyFailure {
        VerifyFailure(ApprovalRejection.Reason.selfApprovalUndecidable.rawValue, .policy, explanation, remedy: remedy)
    }
}
