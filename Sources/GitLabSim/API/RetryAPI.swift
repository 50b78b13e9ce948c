import Foundation

/// `POST /projects/:id/jobs/:job_id/retry`: a finished job is cloned into a new job (new id,
/// user = the caller, old job variables copied) that runs at once; 201 with the **new** job.
/// A job that is not finished, or already retried, is 403 `Job is not retryable`.
enum RetryAPI {
    static let routes: [Route] = [
        Route("POST", "api/v4/projects/:id/jobs/:job_id/retry", auth: .user, handler: retry),
    ]

    static func retry(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        let (response, started) = try context.store.withWorld { (world) throws(APIError) -> (SimResponse, Int) in
            let (project, job) = try JobsAPI.readableJob(context, in: world)
            guard world.canPlay(job: job, in: project, as: user) else { throw .forbidden }
            guard ["success", "failed", "canceled"].contains(job.status), !job.retried else {
                throw .forbidden("Job is not retryable")
            }
            let id = PlayAPI.retry(job, player: user.id, variables: [], in: &world, now: Date())
            return (.json(Entities.job(world.jobs[id] ?? job, in: world), status: 201), id)
        }
        context.runner.start(jobId: started)
        return response
    }
}
