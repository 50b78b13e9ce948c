import Foundation

/// Jobs: show, trace, pipeline job lists, and `GET /job` for job tokens.
enum JobsAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/projects/:id/jobs/:job_id", auth: .optionalUser, handler: show),
        Route("GET", "api/v4/projects/:id/jobs/:job_id/trace", auth: .optionalUser, handler: trace),
        Route("GET", "api/v4/projects/:id/pipelines/:pipeline_id/jobs", auth: .optionalUserOrJobToken, handler: pipelineJobs),
        Route("POST", "api/v4/projects/:id/jobs/:job_id/play", auth: .user, handler: PlayAPI.play),
        Route("GET", "api/v4/job", auth: .jobTokenOnly, handler: currentJob),
    ]

    /// `authorize_read_builds!` then `find_build!`: 403 before 404, as GitLab orders them.
    static func readableJob(_ context: APIContext, in world: SimWorld) throws(APIError) -> (ProjectRecord, JobRecord) {
        let project = try ProjectsAPI.project(context, in: world)
        guard world.canReadBuilds(project: project, as: context.caller.user) else { throw .forbidden }
        guard let id = Int(context.path("job_id")) else { throw .grape("job_id is invalid") }
        guard let job = world.jobs[id], job.projectId == project.id else { throw .notFound("Job") }
        return (project, job)
    }

    static func show(_ context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let (_, job) = try readableJob(context, in: world)
            return .json(Entities.job(job, in: world))
        }
    }

    static func trace(_ context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let (_, job) = try readableJob(context, in: world)
            return .text(job.log)
        }
    }

    /// Newest first; retried jobs only with `include_retried=true`; `scope`/`scope[]` filter.
    /// Job tokens may read their own project's pipelines (newer GitLab).
    static func pipelineJobs(_ context: APIContext) throws(APIError) -> SimResponse {
        let scopes = context.request.queryValues("scope")
        guard scopes.allSatisfy(JobStatus.all.contains) else { throw .grape("scope does not have a valid value") }
        let includeRetried = try boolean("include_retried", in: context.request)
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let project = try ProjectsAPI.project(context, in: world)
            guard world.canReadBuilds(project: project, as: context.caller) else { throw .forbidden }
            guard let id = Int(context.path("pipeline_id")) else { throw .grape("pipeline_id is invalid") }
            guard let pipeline = world.pipelines[id], pipeline.projectId == project.id else {
                throw .notFound("Pipeline")
            }
            let jobs = world.jobs(ofPipeline: pipeline.id)
                .filter { includeRetried || !$0.retried }
                .filter { scopes.isEmpty || scopes.contains($0.status) }
                .sorted { $0.id > $1.id }
            return try Pagination.page(jobs, request: context.request, baseURL: world.baseURL) { job in
                Entities.job(job, in: world)
            }
        }
    }

    /// The job owning the token, while it runs (tokens die when the job finishes).
    static func currentJob(_ context: APIContext) throws(APIError) -> SimResponse {
        guard case .job(let tokenJob) = context.caller else { throw .notFound("Job") }
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            guard let job = world.jobs[tokenJob.id], job.status == "running" else { throw .unauthorized }
            return .json(Entities.job(job, in: world))
        }
    }

    private static func boolean(_ name: String, in request: SimRequest) throws(APIError) -> Bool {
        switch request.queryValue(name) {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw .grape("\(name) is invalid")
        }
    }
}
