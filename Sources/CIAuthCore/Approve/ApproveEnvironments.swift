import Foundation
import GitLab

/// Each job's deployment environment. GitLab's job API has no environment field; a job that
/// starts an environment has a deployment whose `deployable` is the job, `blocked` while the job
/// is manual (`created` on older GitLab). Deployments are created with their pipeline, so the
/// listing is read newest first and stops at the first one older than the pipeline: the cost
/// follows what is new, not the project's history.
///
/// A job without a deployment has no environment *or* one whose action is not `start` (`stop`,
/// `prepare`, `verify`, `access`): GitLab cannot tell which, so the approver must say it
/// (`--environment`), or be asked; it is never guessed.
struct ApproveEnvironments {
    let gitlab: GitLabClient

    /// Job id → environment name for the jobs GitLab shows a deployment for.
    func deployed(_ jobs: [GitLabJob], in project: ProjectReference) async throws -> [Int: String] {
        guard let first = jobs.first else { return [:] }
        guard let since = first.pipeline.createdAt else {
            throw ApproveError(.environmentUnknown, "GitLab did not say when pipeline \(first.pipeline.id) was created, so its deployments cannot be found; nothing was approved")
        }
        let deployments = try await newest(in: project, since: since, pipelineID: first.pipeline.id)
        let wanted = Set(jobs.map(\.id))
        var found: [Int: String] = [:]
        for deployment in deployments {
            guard let id = deployment.deployable?.id, wanted.contains(id), found[id] == nil else { continue }
            found[id] = deployment.environment.name
        }
        return found
    }

    private func newest(in project: ProjectReference, since: Date, pipelineID: Int) async throws -> [GitLabDeployment] {
        do {
            return try await gitlab.deployments(of: project, createdSince: since)
        } catch {
            guard error.code == .paginationLimitExceeded else { throw error }
            throw ApproveError(
                .environmentUnknown,
                "too many deployments are newer than pipeline \(pipelineID) to find its jobs' environments (\(error)); nothing was approved")
        }
    }

    /// The environment to sign for every job (nil: none). `stated` is `--environment` (`none` or
    /// a name), which applies to jobs without a deployment and must agree with those that have one.
    static func settle(
        _ deployed: [Int: String], jobs: [GitLabJob], stated: String?, canAsk: Bool
    ) throws(ApproveError) -> (environments: [Int: String], unproven: [Int]) {
        var environments = deployed
        var unproven: [Int] = []
        let statedName = stated == noneValue ? nil : stated
        for job in jobs {
            if let name = deployed[job.id] {
                guard stated == nil || statedName == name else {
                    throw ApproveError(
                        .environmentMismatch,
                        "--environment \(stated ?? "") disagrees with GitLab: job \(job.id) (\(job.name)) deploys to \(name); nothing was approved")
                }
                continue
            }
            if stated != nil {
                environments[job.id] = statedName
                continue
            }
            guard canAsk else {
                throw ApproveError(
                    .environmentUnknown,
                    "GitLab shows no deployment for job \(job.id) (\(job.name)): it has no environment, or its environment's action is "
                        + "not start (stop, prepare, verify, access), and GitLab cannot tell which. Say which with --environment none "
                        + "or --environment NAME; nothing was approved")
            }
            unproven.append(job.id)
        }
        return (environments, unproven)
    }

    /// What `--environment` takes for "no environment".
    static let noneValue = "none"
}
