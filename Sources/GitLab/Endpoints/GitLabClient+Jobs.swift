extension GitLabClient {
    /// A job of a project (`GET /projects/:id/jobs/:job_id`). An answer describing another job
    /// or a job of another project (a cache in front of GitLab answering for the wrong path)
    /// fails with `malformedResponse`: a play's read-back must never take another job's state for
    /// this one's, nor approve show a job that is not the one asked for.
    public func job(_ id: Int, in project: ProjectReference) async throws(GitLabError) -> GitLabJob {
        let request = try jobRequest(id, in: project, suffix: "")
        let job = try decode(GitLabJob.self, from: try await send(request), request: request)
        guard job.id == id else {
            throw GitLabError(
                .malformedResponse, request: request.label(server),
                hint: "GitLab answered with job \(job.id) for job \(id)")
        }
        try checkBelongs(job, to: project, pipelineID: nil, request: request)
        return job
    }

    /// Jobs of a pipeline, optionally only those in the given statuses
    /// (`GET /projects/:id/pipelines/:pipeline_id/jobs?scope[]=…`). A listed job of another
    /// pipeline or project fails the listing with `malformedResponse`.
    public func jobs(
        ofPipeline pipelineID: Int, in project: ProjectReference, scope: [JobStatus] = []
    ) async throws(GitLabError) -> [GitLabJob] {
        let project = try project.validated()
        let request = GitLabRequest(
            method: .GET, path: "/projects/\(project.pathSegment)/pipelines/\(pipelineID)/jobs",
            query: scope.map { ("scope[]", $0.rawValue) }, resource: "pipeline \(pipelineID) of \(project)")
        let jobs = try await paginate(request, of: GitLabJob.self)
        for job in jobs { try checkBelongs(job, to: project, pipelineID: pipelineID, request: request) }
        return jobs
    }

    /// The job must be of the project asked about (its id, or its path in the job's URL, which
    /// GitLab spells in the project's own case) and of the pipeline, when one was asked about.
    private func checkBelongs(
        _ job: GitLabJob, to project: ProjectReference, pipelineID: Int?, request: GitLabRequest
    ) throws(GitLabError) {
        if let pipelineID, job.pipeline.id != pipelineID {
            throw GitLabError(
                .malformedResponse, request: request.label(server),
                hint: "GitLab listed job \(job.id) of pipeline \(job.pipeline.id) among the jobs of pipeline \(pipelineID)")
        }
        let belongs = switch project {
        case .id(let id): job.projectID == id
        case .path(let path): job.webURL.lowercased().hasSuffix("/\(path.lowercased())/-/jobs/\(job.id)")
        }
        guard belongs else {
            throw GitLabError(
                .malformedResponse, request: request.label(server),
                hint: "GitLab answered with job \(job.id) of project \(job.projectID) (\(Sanitizer.clean(job.webURL, secrets: []))), not of \(project)")
        }
    }

    /// The job that owns the client's job token (`GET /job`): its identity according to GitLab,
    /// not according to environment variables a manual job may have overridden.
    public func currentJob() async throws(GitLabError) -> GitLabJob {
        guard case .jobToken = credentials else {
            throw GitLabError(.invalidArgument, hint: "GET /job needs the CI job token (CI_JOB_TOKEN)")
        }
        let request = GitLabRequest(method: .GET, path: "/job", resource: "the job of this job token")
        return try decode(GitLabJob.self, from: try await send(request), request: request)
    }

    /// Cancels a job (`POST /projects/:id/jobs/:job_id/cancel`); sent once, never retried.
    /// GitLab answers 201 with the job, or 422 when the job is not cancelable (finished).
    public func cancel(job id: Int, in project: ProjectReference) async throws(GitLabError) -> GitLabJob {
        var request = try jobRequest(id, in: project, suffix: "/cancel")
        request.method = .POST
        return try decode(GitLabJob.self, from: try await send(request), request: request)
    }

    /// The job's log as text (`GET /projects/:id/jobs/:job_id/trace`).
    public func jobTrace(_ id: Int, in project: ProjectReference) async throws(GitLabError) -> String {
        let request = try jobRequest(id, in: project, suffix: "/trace")
        return String(decoding: try await send(request).body, as: UTF8.self)
    }

    func jobRequest(_ id: Int, in project: ProjectReference, suffix: String) throws(GitLabError) -> GitLabRequest {
        let project = try project.validated()
        return GitLabRequest(
            method: .GET, path: "/projects/\(project.pathSegment)/jobs/\(id)\(suffix)",
            resource: "job \(id) of \(project)")
    }
}
