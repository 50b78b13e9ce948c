import GitLab

/// What became of one job (also the `--json` output).
public struct ApproveJobResult: Sendable, Encodable, Equatable {
    public enum Result: String, Sendable, Encodable {
        /// GitLab moved this job from manual to started, at this play.
        case played
        /// The answer was lost, but GitLab shows the job played by us.
        case playedDespiteLostAnswer = "played-despite-lost-answer"
        /// The answer was lost and the job is still manual: not played (play it again with a new approval).
        case notPlayed = "not-played"
        /// The answer was lost and someone else started the job.
        case playedByAnother = "played-by-another"
        /// Someone else played the job first: seen when it was read again just before the play,
        /// or in the play's answer (GitLab then took the play as a retry; see `retryJobID`).
        case alreadyPlayed = "already-played"
        /// Nothing proves whether the job was played (lost answer, timeout): check `webURL`.
        case unknown
        /// GitLab refused the play, or it was not attempted.
        case refused
    }

    public var jobID: Int
    public var name: String
    public var webURL: String
    public var result: Result
    /// The job's status after the play, when known.
    public var status: String?
    /// Who GitLab says played the job (the token's user, or whoever was first), when known.
    public var player: String?
    public var playerID: Int?
    public var error: String?
    public var errorCode: String?
    /// The new job GitLab started when this play reached a job someone else had already played.
    public var retryJobID: Int?
    /// That job's status after ciauth tried to cancel it.
    public var retryJobStatus: String?

    public var succeeded: Bool { result == .played || result == .playedDespiteLostAnswer }

    init(_ job: GitLabJob, _ result: Result) {
        jobID = job.id
        name = job.name
        webURL = job.webURL
        self.result = result
        status = job.status.rawValue
    }
}

/// Plays the approved jobs, each at most once (never retried): all are read again right before
/// the plays, so a job someone else played meanwhile is not touched; the first play goes alone,
/// so a refusal that applies to all (variables not allowed) is met once, then the rest with
/// bounded concurrency. Every answer is judged by `ApprovePlayJudge`.
struct ApprovePlayer {
    let gitlab: GitLabClient
    let projectID: Int
    let variable: String
    let concurrency: Int

    typealias Work = (job: GitLabJob, value: String)

    func play(_ work: [Work]) async -> [ApproveJobResult] {
        guard let first = work.first else { return [] }
        let current: [Int: GitLabJob]
        do {
            current = try await reread(work.map(\.job), pipelineID: first.job.pipeline.id)
        } catch {
            return work.map { Self.notAttempted($0.job, "reading it again right before the play failed: \(error)", code: error.code.rawValue) }
        }
        var results: [Int: ApproveJobResult] = [:]
        var playable: [Work] = []
        for item in work {
            guard let now = current[item.job.id] else {
                results[item.job.id] = Self.notAttempted(
                    item.job, "GitLab no longer lists it among the jobs of pipeline \(item.job.pipeline.id) (retried meanwhile?)", code: "job-gone")
                continue
            }
            if now.status == .manual {
                playable.append((now, item.value))
            } else {
                results[item.job.id] = ApprovePlayJudge.alreadyPlayed(now, seen: "when read again right before the play; not played")
            }
        }
        for result in await playAll(playable) { results[result.jobID] = result }
        return work.compactMap { results[$0.job.id] }
    }

    /// One job: `GET` it; several (all of one pipeline): one listing of the pipeline's jobs.
    private func reread(_ jobs: [GitLabJob], pipelineID: Int) async throws(GitLabError) -> [Int: GitLabJob] {
        if jobs.count == 1 {
            let job = try await gitlab.job(jobs[0].id, in: .id(projectID))
            return [job.id: job]
        }
        let listed = try await gitlab.jobs(ofPipeline: pipelineID, in: .id(projectID))
        return Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func playAll(_ work: [Work]) async -> [ApproveJobResult] {
        guard let first = work.first else { return [] }
        let head = await playOne(first)
        let rest = work.dropFirst()
        // GitLab's 403 on a play with variables does not say why: ask the project once.
        var cause: ApprovePlayRefusal?
        if Self.isForbidden(head) {
            let found = await ApprovePlayRefusal.diagnose(gitlab, projectID: projectID)
            cause = found
            // Only a cause proven for the whole project stops the rest; any other 403 may be this
            // job's alone (protected environment), so each job is judged on its own.
            if found.isProjectWide {
                let refused = found.relabel(head)
                return [refused] + rest.map {
                    Self.notAttempted($0.job, "not attempted: GitLab refused job \(head.jobID) for a reason that holds for every job: \(found.summary)", code: refused.errorCode ?? "")
                }
            }
        }
        let results = [head] + (await playConcurrently(rest))
        if cause == nil, results.contains(where: Self.isForbidden) {
            cause = await ApprovePlayRefusal.diagnose(gitlab, projectID: projectID)
        }
        guard let cause else { return results }
        return results.map { Self.isForbidden($0) ? cause.relabel($0) : $0 }
    }

    /// At most `concurrency` plays at a time, results in the order of `work`.
    private func playConcurrently(_ work: ArraySlice<Work>) async -> [ApproveJobResult] {
        var rest = work
        var results: [ApproveJobResult] = []
        while !rest.isEmpty {
            let batch = rest.prefix(max(concurrency, 1))
            rest = rest.dropFirst(batch.count)
            results += await withTaskGroup(of: (Int, ApproveJobResult).self) { group in
                for (index, item) in batch.enumerated() {
                    group.addTask { (index, await playOne(item)) }
                }
                var ordered = [ApproveJobResult?](repeating: nil, count: batch.count)
                for await (index, result) in group { ordered[index] = result }
                return ordered.compactMap { $0 }
            }
        }
        return results
    }

    /// A play GitLab refused with 403 (labelled before its cause is known).
    private static func isForbidden(_ result: ApproveJobResult) -> Bool {
        result.result == .refused && result.errorCode == GitLabError.Code.pipelineVariablesNotAllowed.rawValue
    }

    private func playOne(_ item: Work) async -> ApproveJobResult {
        let judge = ApprovePlayJudge(gitlab: gitlab, projectID: projectID)
        do {
            let outcome = try await gitlab.play(job: item.job.id, in: .id(projectID), variables: [PlayVariable(key: variable, value: item.value)])
            return await judge.judge(outcome, for: item.job)
        } catch {
            return await judge.refused(item.job, error)
        }
    }

    static func notAttempted(_ job: GitLabJob, _ reason: String, code: String) -> ApproveJobResult {
        var result = ApproveJobResult(job, .refused)
        result.error = reason
        result.errorCode = code
        return result
    }
}
