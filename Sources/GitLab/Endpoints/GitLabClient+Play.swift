extension GitLabClient {
    /// Plays a manual job with variables (`POST /projects/:id/jobs/:job_id/play`, JSON body).
    ///
    /// Sent exactly once, never retried. Definite refusals (4xx, refused connection) throw.
    /// When the request may have reached GitLab but no usable answer came back, the job is re-read
    /// (a few times, with the retry backoff, while it is still `manual`) and the outcome says
    /// what really happened; it is never reported as played unless GitLab shows it.
    public func play(
        job jobID: Int, in project: ProjectReference, variables: [PlayVariable] = []
    ) async throws(GitLabError) -> PlayOutcome {
        let request = try playRequest(job: jobID, in: project, variables: variables)
        let cause: GitLabError
        switch await attemptOnce(request) {
        case .success(let response) where (200..<300).contains(response.status):
            do {
                return .played(try decode(GitLabJob.self, from: response, request: request))
            } catch {
                // Accepted, but the answer is unreadable: learn the truth from the job itself.
                cause = error
            }
        case .success(let response):
            let error = errorFor(response, request: request)
            guard (500..<600).contains(response.status) else { throw error }
            cause = error
        case .failure(let failure):
            guard failure.maybeSent else { throw failure.error }
            cause = failure.error
        }
        logger.debug("GitLab play answer lost; re-reading the job", metadata: ["job": "\(jobID)"])
        return await recheckPlay(job: jobID, in: project, cause: cause)
    }

    private func playRequest(
        job jobID: Int, in project: ProjectReference, variables: [PlayVariable]
    ) throws(GitLabError) -> GitLabRequest {
        let project = try project.validated()
        for variable in variables { try variable.validate() }
        guard Set(variables.map(\.key)).count == variables.count else {
            throw GitLabError(.invalidArgument, hint: "each play variable may appear only once")
        }
        let body = try JSONBody.encode(PlayBody(jobVariablesAttributes: variables))
        return GitLabRequest(
            method: .POST, path: "/projects/\(project.pathSegment)/jobs/\(jobID)/play", body: body,
            resource: "job \(jobID) of \(project)", isPlayWithVariables: !variables.isEmpty,
            bodySummary: "job_variables_attributes=[\(variables.map(\.description).joined(separator: ", "))]")
    }

    private func recheckPlay(job jobID: Int, in project: ProjectReference, cause: GitLabError) async -> PlayOutcome {
        var attempt = 0
        while true {
            let job: GitLabJob
            do {
                job = try await self.job(jobID, in: project)
            } catch {
                return .unknown(cause: cause, recheckFailure: error)
            }
            if job.status != .manual { return await attribute(job, cause: cause) }
            // Still manual: the request may still be on its way through GitLab; look again.
            guard attempt < max(options.retry.maxRetries, 1) else {
                return Self.mayStillBeWorking(cause) ? .undetermined(job, cause: cause) : .notPlayed(job, cause: cause)
            }
            try? await Task.sleep(for: options.retry.backoff(attempt: attempt))
            attempt += 1
        }
    }

    /// A request we stopped waiting for (or a gateway did) may still be running inside GitLab:
    /// a job that is still manual proves nothing then. So does a dropped connection: GitLab goes
    /// on with a request whose client connection a proxy or load balancer reset.
    static func mayStillBeWorking(_ cause: GitLabError) -> Bool {
        cause.code == .timeout || cause.code == .connectionDropped || cause.status == 502 || cause.status == 504
    }

    /// The job left `manual`: ours only if GitLab names our user as its player.
    private func attribute(_ job: GitLabJob, cause: GitLabError) async -> PlayOutcome {
        let me: GitLabUser
        do {
            me = try await currentUser()
        } catch {
            return .unknown(cause: cause, recheckFailure: error)
        }
        guard let player = job.user, player.id == me.id else { return .playedByAnother(job, cause: cause) }
        return .playedDespiteLostAnswer(job, cause: cause)
    }
}

private struct PlayBody: Encodable {
    let jobVariablesAttributes: [PlayVariable]

    enum CodingKeys: String, CodingKey {
        case jobVariablesAttributes = "job_variables_attributes"
    }
}
