import ChildProcess
import Foundation
import GitLab

#if canImport(Glibc)
import Glibc
#endif

/// Everything GitLab says about what is being approved, fetched before the touch.
public struct ApproveTargets: Sendable {
    public let approver: ApproveApprover
    public let project: ApproveProject
    /// The selected jobs, all `manual`, all of one pipeline, ascending by id.
    public let jobs: [GitLabJob]
    /// Jobs named with `--job` but left out by `--all-manual` because they are not manual, with the reason.
    public let skipped: [(job: GitLabJob, reason: String)]
    /// Job id → environment name to sign; a job not listed is signed with none.
    public let environments: [Int: String]
    /// Jobs GitLab shows no deployment for, whose "no environment" the person confirms.
    public let unprovenEnvironments: [Int]
}

/// Finds the project, the jobs and their environments (`ApproveEnvironments`): for one job, the
/// newest page of deployments, which holds a recent deploy job whole, else the job as well; for a
/// pipeline, its jobs and that page concurrently; further pages only while deployments are newer
/// than the pipeline. `GET /user` runs alongside only when the enrollment records do not name the
/// approver; the project comes from the jobs (`ApproveJobProject`). So one deploy job costs one
/// request, a pipeline two (one more without records); a job URL of an unexpected shape one more
/// (`GET /projects/:id`).
struct ApproveTargetResolver {
    let gitlab: GitLabClient
    /// The approver named by the enrollment records, nil to ask GitLab.
    let recordedApprover: ApproveApprover?

    func resolve(_ request: ApproveRequest) async throws -> ApproveTargets {
        let kind: JobReference.Kind = request.allManual || !request.jobNames.isEmpty ? .pipeline : .job
        let reference: JobReference
        do {
            reference = try JobReference.parse(request.target, bareNumberKind: kind, knownServer: gitlab.server.description)
        } catch {
            throw ApproveError(.invalidOption, error.description)
        }
        if reference.kind == .pipeline, !request.allManual, request.jobNames.isEmpty {
            throw ApproveError(.invalidOption, "\(request.target) is a pipeline: add --all-manual, or --job NAME for the jobs to approve")
        }
        let projectReference = try projectReference(for: reference, request: request)
        async let approver = currentApprover()
        let environments = ApproveEnvironments(gitlab: gitlab)
        let (candidates, firstPage) = try await read(reference, in: projectReference, environments)
        let (jobs, skipped) = try select(from: candidates, reference: reference, request: request)
        let project = try await resolveProject(of: jobs)
        let deployed = try await environments.deployed(jobs, in: projectReference, firstPage: firstPage)
        let settled = try ApproveEnvironments.settle(deployed, jobs: jobs, stated: request.environment, canAsk: !request.assumeYes)
        return ApproveTargets(
            approver: try await approver, project: project, jobs: jobs.sorted { $0.id < $1.id },
            skipped: skipped, environments: settled.environments, unprovenEnvironments: settled.unproven)
    }

    /// The candidate jobs, and the newest page of deployments read with them.
    private func read(
        _ reference: JobReference, in project: ProjectReference, _ environments: ApproveEnvironments
    ) async throws -> (jobs: [GitLabJob], firstPage: ApproveEnvironments.Page?) {
        switch reference.kind {
        case .job:
            let found = try await environments.job(reference.id, in: project)
            return ([found.job], found.firstPage)
        case .pipeline:
            async let page = gitlab.deploymentsNewestFirst(of: project)
            let jobs = try await gitlab.jobs(ofPipeline: reference.id, in: project)
            return (jobs, try await page)
        }
    }

    private func currentApprover() async throws -> ApproveApprover {
        if let recordedApprover { return recordedApprover }
        let user = try await gitlab.currentUser()
        return ApproveApprover(id: user.id, username: user.username, source: .gitlab)
    }

    /// The project from the jobs; GitLab is asked only when a job's URL does not give the path.
    private func resolveProject(of jobs: [GitLabJob]) async throws -> ApproveProject {
        let derived = try ApproveJobProject.derive(from: jobs, server: gitlab.server.description)
        if let path = derived.path { return ApproveProject(id: derived.id, path: path) }
        let project = try await gitlab.project(.id(derived.id))
        guard project.id == derived.id else {
            throw ApproveError(.projectUnknown, "GitLab answered project \(derived.id) with project \(project.id); nothing was approved")
        }
        return ApproveProject(id: project.id, path: project.pathWithNamespace)
    }

    /// A URL names its project (and must be on the configured server); otherwise `--project`,
    /// otherwise the `origin` remote of the git repository in the working directory.
    func projectReference(for reference: JobReference, request: ApproveRequest) throws -> ProjectReference {
        if let path = reference.projectPath {
            let configured = gitlab.server.description.lowercased()
            if let server = reference.server?.lowercased(), server != configured {
                throw ApproveError(.projectUnknown, "\(request.target) is on \(server), but the GitLab server in use is \(configured); pass --server \(server)")
            }
            return .path(path)
        }
        if let project = request.project {
            if let id = JobReference.positiveID(project) { return .id(id) }
            return .path(project)
        }
        guard let url = Self.originURL(in: request.workingDirectory) else {
            throw ApproveError(.projectUnknown, "which project? Pass --project GROUP/PROJECT, a job URL, or run inside a clone of the project")
        }
        guard let remote = GitRemote(url: url, serverPathPrefix: gitlab.server.pathPrefix) else {
            throw ApproveError(.projectUnknown, "cannot read a project from the git remote \"origin\" (\(url)); pass --project")
        }
        guard remote.host == gitlab.server.host.lowercased() else {
            throw ApproveError(.projectUnknown, "the git remote \"origin\" is on \(remote.host), but the GitLab server in use is \(gitlab.server.host); pass --project or --server")
        }
        return .path(remote.projectPath)
    }

    /// The jobs to approve among the candidates, or the reason none can be.
    func select(
        from candidates: [GitLabJob], reference: JobReference, request: ApproveRequest
    ) throws -> ([GitLabJob], [(job: GitLabJob, reason: String)]) {
        if reference.kind == .job {
            let job = candidates[0]
            guard job.status == .manual else { throw ApproveError(.notManual, Self.notManualReason(job)) }
            return ([job], [])
        }
        var matched = candidates
        if !request.jobNames.isEmpty {
            for pattern in request.jobNames where !candidates.contains(where: { Self.matches($0.name, pattern) }) {
                throw ApproveError(.noJobs, "no job of pipeline \(reference.id) is named \"\(pattern)\" (jobs: \(Self.names(candidates)))")
            }
            matched = candidates.filter { job in request.jobNames.contains { Self.matches(job.name, $0) } }
        }
        let manual = matched.filter { $0.status == .manual }
        let others = matched.filter { $0.status != .manual }
        if !request.allManual, let first = others.first {
            throw ApproveError(.notManual, Self.notManualReason(first))
        }
        guard !manual.isEmpty else {
            let detail = others.isEmpty ? "" : ": " + others.map { "\($0.name) is \($0.status)" }.joined(separator: ", ")
            throw ApproveError(.noJobs, "pipeline \(reference.id) has no manual job to approve\(detail)")
        }
        // Name the left-out jobs only when the user named jobs: the rest of a pipeline is not news.
        return (manual, request.allManual && !request.jobNames.isEmpty ? others.map { (job: $0, reason: Self.notManualReason($0)) } : [])
    }

    static func notManualReason(_ job: GitLabJob) -> String {
        let head = "job \(job.id) (\(job.name)) is \(job.status), not manual"
        switch job.status {
        case .created, .waitingForResource, .preparing, .pending, .running:
            return "\(head): it is already queued or running, so there is nothing to approve"
        case .success, .failed, .canceled, .canceling:
            return "\(head): it has finished; playing it again would create a new job, which this approval could not name. Retry it in GitLab or start a new pipeline, then approve the new job"
        case .scheduled:
            return "\(head): it is a delayed job that starts on its own; unschedule it in GitLab to make it manual"
        case .skipped:
            return "\(head): it was skipped; its pipeline did not reach it"
        default:
            return head
        }
    }

    static func matches(_ name: String, _ pattern: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }

    static func names(_ jobs: [GitLabJob]) -> String {
        let names = jobs.map(\.name)
        return names.isEmpty ? "none" : names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", …" : "")
    }

    /// `git remote get-url origin` in `directory`, or nil when there is none.
    static func originURL(in directory: String) -> String? {
        guard let result = try? ChildProcess.run(
            "/usr/bin/env", ["git", "-C", directory, "remote", "get-url", "origin"], timeout: .seconds(30)),
            result.status == 0, !result.text.isEmpty
        else { return nil }
        return result.text
    }
}
