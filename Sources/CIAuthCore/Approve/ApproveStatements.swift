import Foundation
import GitLab

/// Turns the selected jobs into statements: one per environment, at most 100 jobs each
/// (docs/protocol.md 1.1), so a usual approval is one statement and one touch.
enum ApproveStatements {
    static func make(
        for targets: ApproveTargets, server: String, reason: String?, validitySeconds: Int64, now: Date
    ) throws -> [ApprovalStatement] {
        guard let first = targets.jobs.first else { throw ApproveError(.noJobs, "no job to approve") }
        var groups: [String?: [GitLabJob]] = [:]
        for job in targets.jobs { groups[targets.environments[job.id], default: []].append(job) }
        let ordered = groups.keys.sorted { ($0 ?? "") < ($1 ?? "") }
        var statements: [ApprovalStatement] = []
        for environment in ordered {
            let jobs = groups[environment] ?? []
            for start in stride(from: 0, to: jobs.count, by: ApprovalLimits.jobs) {
                let chunk = jobs[start..<min(start + ApprovalLimits.jobs, jobs.count)]
                do {
                    statements.append(
                        try ApprovalStatement.issue(
                            server: server, projectID: targets.project.id, projectPath: targets.project.path,
                            pipelineID: first.pipeline.id, jobs: chunk.map { .init(id: $0.id, name: $0.name) },
                            ref: first.ref, commitSHA: first.pipeline.sha,
                            environment: environment.map { ApprovalStatement.Environment.named($0) } ?? ApprovalStatement.Environment.none, approver: targets.approver.username,
                            reason: reason, now: now, validitySeconds: validitySeconds))
                } catch let rejection as ApprovalRejection {
                    throw ApproveError(.statementInvalid, "cannot approve these jobs with a v1 statement: \(rejection)")
                }
            }
        }
        return statements
    }
}
