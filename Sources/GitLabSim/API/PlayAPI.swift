import Foundation

/// `POST /projects/:id/jobs/:job_id/play`, following GitLab's order of checks:
/// parameters (400) → read builds (403) → job (404) → `play_job` (403) → playable (400) →
/// variables allowed (403) → play, or retry when the manual job already finished
/// (app/services/ci/play_build_service.rb, lib/api/ci/jobs.rb).
enum PlayAPI {
    static func play(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        let variables = try context.request.parameters().jobVariables() ?? []
        let outcome = try context.store.withWorld { (world) throws(APIError) -> (SimResponse, Int) in
            let (project, job) = try JobsAPI.readableJob(context, in: world)
            guard world.canPlay(job: job, in: project, as: user) else { throw .forbidden }
            guard isPlayable(job) else { throw .badRequest("Unplayable Job") }
            if !variables.isEmpty && !world.canSetPipelineVariables(in: project, as: user) { throw .forbidden }
            try validate(variables)
            let now = Date()
            let started: Int
            if job.status == "manual" {
                started = enqueue(job.id, player: user.id, variables: variables, in: &world, now: now)
            } else {
                // `PlayBuildService#retry_build`: the play's own variables are dropped.
                started = retry(job, player: user.id, in: &world, now: now)
            }
            return (.json(Entities.job(world.jobs[job.id] ?? job, in: world)), started)
        }
        context.runner.start(jobId: outcome.1)
        return outcome.0
    }

    /// `playable?` = action (manual) and (manual status or retryable: finished, not retried).
    static func isPlayable(_ job: JobRecord) -> Bool {
        guard job.isAction else { return false }
        if job.status == "manual" { return true }
        return ["success", "failed", "canceled"].contains(job.status) && !job.retried
    }

    /// Keys as CI variables demand (`/\A[a-zA-Z0-9_]+\z/`, ≤ 255) and unique per job.
    private static func validate(_ variables: [JobVariable]) throws(APIError) {
        for variable in variables where !JobStatus.isValidVariableKey(variable.key) {
            throw APIError(status: 400, body: .object([
                ("message", .object([("job_variables.key", .array([.string("can contain only letters, digits and '_'.")]))])),
            ]))
        }
        if Set(variables.map(\.key)).count != variables.count {
            throw APIError(status: 400, body: .object([
                ("message", .object([("job_variables.key", .array([.string("has already been taken")]))])),
            ]))
        }
    }

    /// The manual job itself starts: player becomes its user, variables attach to it.
    private static func enqueue(_ id: Int, player: Int, variables: [JobVariable], in world: inout SimWorld, now: Date) -> Int {
        world.jobs[id]?.status = "pending"
        world.jobs[id]?.userId = player
        world.jobs[id]?.jobVariables = variables
        world.jobs[id]?.queuedAt = now
        world.jobs[id]?.startedManually = true
        return id
    }

    /// A finished manual job is cloned into a new job (new id) that runs at once, carrying the
    /// old job's variables (app/services/ci/retry_job_service.rb, clone_job_service.rb).
    static func retry(_ job: JobRecord, player: Int, in world: inout SimWorld, now: Date) -> Int {
        let id = world.allocateId("job", above: world.jobs.keys)
        var clone = job
        clone.id = id
        clone.status = "pending"
        clone.userId = player
        clone.jobVariables = job.jobVariables
        clone.createdAt = now
        clone.queuedAt = now
        clone.startedAt = nil
        clone.finishedAt = nil
        clone.retried = false
        clone.retriedFromId = job.id
        clone.startedManually = true
        clone.log = ""
        clone.exitCode = nil
        clone.token = nil
        clone.failureReason = nil
        world.jobs[job.id]?.retried = true
        world.insert(job: clone)
        world.addDeployment(for: clone, now: now)
        return id
    }
}
