import Foundation

/// `POST /projects/:id/jobs/:job_id/retry`: a finished job is cloned into a new job (new id,
/// user = the caller, old job variables copied) that runs at once; 201 with the **new** job.
/// A job that is not finished, or already retried, is 403 `Job is not retryable`.
enum RetryAPI {
    static let routes: [Route] = [
        Route("POST", "api/v4/projects/:id/jobs/:job_id/retry", auth: .user, handler: retry),
        Route("POST", "api/v4/projects/:id/jobs/:job_id/cancel", auth: .user, handler: cancel),
    ]

    /// Jobs `Ci::BuildCancelService` may cancel (`cancelable?`: active or created).
    static let cancelable: Set<String> = ["created", "waiting_for_resource", "preparing", "pending", "running", "scheduled"]

    /// `POST /projects/:id/jobs/:job_id/cancel` (lib/api/ci/jobs.rb, app/services/ci/build_cancel_service.rb):
    /// 201 with the canceled job; a job that is not cancelable is 422 `Unprocessable entity`.
    /// A running script is killed.
    static func cancel(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        let response = try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let (project, job) = try JobsAPI.readableJob(context, in: world)
            guard world.canPlay(job: job, in: project, as: user) else { throw .forbidden }
            guard cancelable.contains(job.status) else { throw .message(422, "Unprocessable entity") }
            world.jobs[job.id]?.status = "canceled"
            world.jobs[job.id]?.finishedAt = Date()
            world.jobs[job.id]?.token = nil
            return .json(Entities.job(world.jobs[job.id] ?? job, in: world), status: 201)
        }
        context.runner.kill(jobId: Int(context.path("job_id")) ?? 0)
        return response
    }

    static func retry(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        let (response, started) = try context.store.withWorld { (world) throws(APIError) -> (SimResponse, Int) in
            let (project, job) = try JobsAPI.readableJob(context, in: world)
            guard world.canPlay(job: job, in: project, as: user) else { throw .forbidden }
            guard ["success", "failed", "canceled"].contains(job.status), !job.retried else {
                throw .forbidden("Job is not retryable")
            }
            let id = PlayAPI.retry(job, player: user.id, in: &world, now: Date())
            return (.json(Entities.job(world.jobs[id] ?? job, in: world), status: 201), id)
        }
        context.runner.start(jobId: started)
        return response
    }
}
