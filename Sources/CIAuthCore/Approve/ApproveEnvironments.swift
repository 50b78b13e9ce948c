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
    /// Pages of deployments newer than the pipeline read at most (500 deployments).
    static let maxPages = 5

    typealias Page = GitLabClient.DeploymentPage

    /// One job by id, with the first page of deployments. A deploy job of a recent pipeline is on
    /// that page whole (a deployment's `deployable` is the job entity), which saves reading it.
    func job(_ id: Int, in project: ProjectReference) async throws -> (job: GitLabJob, firstPage: Page?) {
        let page = try await gitlab.deploymentsNewestFirst(of: project)
        if let job = page?.deployments.first(where: { $0.deployable?.id == id })?.deployableJob, job.id == id {
            return (job, page)
        }
        return (try await gitlab.job(id, in: project), page)
    }

    /// Job id → environment name for the jobs GitLab shows a deployment for, reading from
    /// `firstPage` on until a deployment older than the pipeline, or every job is found.
    func deployed(_ jobs: [GitLabJob], in project: ProjectReference, firstPage: Page?) async throws -> [Int: String] {
        guard let first = jobs.first else { return [:] }
        guard let since = first.pipeline.createdAt else {
            throw ApproveError(.environmentUnknown, "GitLab did not say when pipeline \(first.pipeline.id) was created, so its deployments cannot be found; nothing was approved")
        }
        let wanted = Set(jobs.map(\.id))
        var found: [Int: String] = [:]
        var page = firstPage
        if page == nil { page = try await gitlab.deploymentsNewestFirst(of: project) }
        while let current = page {
            var reachedOlder = false
            for deployment in current.deployments {
                // A deployment without a creation time cannot prove it is older: keep reading.
                if let created = deployment.createdAt, created < since {
                    reachedOlder = true
                    break
                }
                if let id = deployment.deployable?.id, wanted.contains(id), found[id] == nil { found[id] = deployment.environment.name }
            }
            if reachedOlder || found.count == wanted.count || !current.hasNext { return found }
            guard current.number < Self.maxPages else {
                throw ApproveError(
                    .environmentUnknown,
                    "more than \(current.number * current.deployments.count) deployments are newer than pipeline \(first.pipeline.id): "
                        + "its jobs' environments cannot be found within a bounded listing; nothing was approved")
            }
            page = try await gitlab.deploymentsNewestFirst(of: project, after: current)
        }
        return found
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
