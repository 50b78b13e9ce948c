import Foundation
import GitLab

/// Judges GitLab's answer to one play. Only a play that moved *this* job from manual to started
/// counts as played. GitLab takes a play of a job someone else already played and that finished
/// as a retry: it starts a new job carrying the *earlier* approval and answers 200 with the old,
/// finished job. That is reported as already played, and the new job is cancelled at once.
struct ApprovePlayJudge {
    let gitlab: GitLabClient
    let projectID: Int

    /// Statuses of a job that has left manual and not finished: queued or running.
    static let started: Set<JobStatus> = [.created, .waitingForResource, .preparing, .pending, .running]

    func judge(_ outcome: PlayOutcome, for job: GitLabJob) async -> ApproveJobResult {
        switch outcome {
        case .played(let answer):
            if answer.id == job.id, answer.status == .manual {
                var result = ApproveJobResult(answer, .unknown)
                result.error = "GitLab answered the play but shows the job still manual. Check \(job.webURL) before approving again"
                return result
            }
            guard answer.id == job.id, Self.started.contains(answer.status) else { return await lostRace(job, answer: answer) }
            return Self.withPlayer(ApproveJobResult(answer, .played), answer)
        case .playedDespiteLostAnswer(let now, let cause):
            var result = Self.withPlayer(ApproveJobResult(now, .playedDespiteLostAnswer), now)
            result.error = cause.description
            return result
        case .notPlayed(let now, let cause):
            var result = ApproveJobResult(now, .notPlayed)
            result.error = cause.description
            return result
        case .playedByAnother(let now, let cause):
            var result = Self.alreadyPlayed(now, seen: "after the play's answer was lost (\(cause))")
            // Finished: the lost play may have reached it after the other one, as a retry.
            if !Self.started.contains(now.status) { result = await cancelRetryCopy(of: job, result) }
            result.result = .playedByAnother
            return result
        case .unknown(let cause, let recheck):
            var result = ApproveJobResult(job, .unknown)
            result.status = nil
            result.error = "\(cause); reading the job back failed too: \(recheck). Check \(job.webURL) before approving again"
            return result
        case .undetermined(let now, let cause):
            var result = ApproveJobResult(now, .unknown)
            result.error = "\(cause); the job is still manual, but GitLab may yet play it. Check \(job.webURL) before approving again"
            return result
        }
    }

    /// A refused play. "Unplayable Job" means the job left manual between the read and the play.
    func refused(_ job: GitLabJob, _ error: GitLabError) async -> ApproveJobResult {
        if error.code == .badRequest, error.serverMessage?.contains("Unplayable") == true,
            let now = try? await gitlab.job(job.id, in: .id(projectID)), now.status != .manual
        {
            return Self.alreadyPlayed(now, seen: "GitLab refused the play as \"Unplayable Job\"")
        }
        var result = ApproveJobResult(job, .refused)
        result.error = error.description
        result.errorCode = error.code.rawValue
        return result
    }

    /// GitLab answered 200 without starting this job: someone else was first, and the play may
    /// have started a retry copy, which is found and cancelled.
    private func lostRace(_ job: GitLabJob, answer: GitLabJob) async -> ApproveJobResult {
        let now = answer.id == job.id ? answer : job
        return await cancelRetryCopy(of: job, Self.alreadyPlayed(now, seen: "GitLab answered the play with job \(answer.id), \(answer.status)"))
    }

    /// Finds the newest job of the same name in the pipeline that this token's user started
    /// (never anyone else's), and cancels it if it is still queued or running.
    private func cancelRetryCopy(of job: GitLabJob, _ result: ApproveJobResult) async -> ApproveJobResult {
        var result = result
        let note = { (text: String) in result.error = (result.error ?? "") + "; " + text }
        let copy: GitLabJob?
        do {
            let me = try await gitlab.currentUser()
            copy = try await gitlab.jobs(ofPipeline: job.pipeline.id, in: .id(projectID))
                .filter { $0.name == job.name && $0.id > job.id && $0.user?.id == me.id }
                .max { $0.id < $1.id }
        } catch {
            note("GitLab may have started a new job with the earlier approval, and looking for it failed (\(error)): check \(job.pipeline.webURL ?? job.webURL)")
            return result
        }
        guard let copy else {
            note("no new job of yours appeared in pipeline \(job.pipeline.id)")
            return result
        }
        result.retryJobID = copy.id
        result.retryJobStatus = copy.status.rawValue
        guard Self.started.contains(copy.status) else {
            note("this play made GitLab start job \(copy.id) with the earlier approval, and it is already \(copy.status): check \(copy.webURL)")
            return result
        }
        do {
            let canceled = try await gitlab.cancel(job: copy.id, in: .id(projectID))
            result.retryJobStatus = canceled.status.rawValue
            note("this play made GitLab start job \(copy.id) with the earlier approval: cancelled it (now \(canceled.status))")
        } catch {
            note("this play made GitLab start job \(copy.id) with the earlier approval, and cancelling it failed (\(error)): cancel it at \(copy.webURL)")
        }
        return result
    }

    /// "already played by @bob, started 2026-…" from the job as GitLab shows it now.
    static func alreadyPlayed(_ job: GitLabJob, seen: String) -> ApproveJobResult {
        var result = withPlayer(ApproveJobResult(job, .alreadyPlayed), job)
        let who = job.user.map { "@\($0.username)" } ?? "someone"
        let when = job.startedAt.map { "started \(Self.timestamp($0))" } ?? "not started yet"
        result.error = "already played by \(who) (\(when); now \(job.status)), \(seen)"
        result.errorCode = "already-played"
        return result
    }

    private static func withPlayer(_ result: ApproveJobResult, _ job: GitLabJob) -> ApproveJobResult {
        var result = result
        result.player = job.user?.username
        result.playerID = job.user?.id
        return result
    }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }
}
