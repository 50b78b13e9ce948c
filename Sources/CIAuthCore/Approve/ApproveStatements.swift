import Foundation
import GitLab

/// Turns the selected jobs into statements of at most 100 jobs each (docs/protocol.md 1.1), every
/// job with its own environment, so one approval is one statement and one touch whatever the
/// environments.
enum ApproveStatements {
    static func make(
        for targets: ApproveTargets, server: String, reason: String?, validitySeconds: Int64, now: Date
    ) throws -> [ApprovalStatement] {
        guard let first = targets.jobs.first else { throw ApproveError(.noJobs, "no job to approve") }
        let jobs = targets.jobs.map { job in
            ApprovalStatement.Job(
                id: job.id, name: job.name,
                environment: targets.environments[job.id].map { .named($0) } ?? .none)
        }
        var statements: [ApprovalStatement] = []
        for start in stride(from: 0, to: jobs.count, by: ApprovalLimits.jobs) {
            do {
                statements.append(
                    try ApprovalStatement.issue(
                        server: server, projectID: targets.project.id, projectPath: targets.project.path,
                        pipelineID: first.pipeline.id, jobs: Array(jobs[start..<min(start + ApprovalLimits.jobs, jobs.count)]),
                        ref: first.ref, commitSHA: first.pipeline.sha,
                        approver: targets.approver.username, approverID: targets.approver.id,
                        reason: reason, now: now, validitySeconds: validitySeconds))
            } catch let rejection as ApprovalRejection {
                throw ApproveError(.statementInvalid, "cannot approve these jobs with an approval statement: \(rejection)")
            }
        }
        return statements
    }
}
