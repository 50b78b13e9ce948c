import GitLab

/// Who created a pipeline, for a policy that forbids self-approval (`allow_self_approval:
/// false` in `.ciauth.yml` and in the gate's policy). GitLab's answer counts only when it
/// describes the job's own pipeline (project, id, commit); its `user` is then the creator.
/// Commit authors are never used: a commit's author name and e-mail are whatever its maker wrote.
enum PipelineCreatorRule {
    enum Reading: Equatable {
        case creator(String)
        /// GitLab's pipeline is not the job's: the field, the value read, the job's value.
        case disagrees(field: String, read: String, truth: String)
        /// GitLab names no creator.
        case unnamed
        /// The creator GitLab names is not a well-formed username (compared with the statement's approver).
        case notAUsername(String)
    }

    static func read(_ pipeline: GitLabPipeline, projectID: Int, pipelineID: Int, commitSHA: String) -> Reading {
        let disagreements = [
            ("project", String(pipeline.projectID), String(projectID)),
            ("id", String(pipeline.id), String(pipelineID)),
            ("commit", pipeline.sha, commitSHA),
        ].filter { $0.1 != $0.2 }
        if let (field, read, truth) = disagreements.first { return .disagrees(field: field, read: read, truth: truth) }
        guard let user = pipeline.user else { return .unnamed }
        guard (try? ApprovalFieldRules.username(user.username)) != nil else { return .notAUsername(user.username) }
        return .creator(user.username)
    }
}
