/// What became of a play request. Playing is not idempotent, so it is sent once; when the
/// answer is lost (dropped connection, timeout, 5xx) the job is read back to learn the truth.
public enum PlayOutcome: Sendable {
    /// GitLab answered 200: the job was played by this token's user.
    case played(GitLabJob)
    /// The answer was lost, but the job has left `manual` and GitLab names this token's user
    /// as its player: the play happened.
    case playedDespiteLostAnswer(GitLabJob, cause: GitLabError)
    /// The answer was lost and the job is still `manual` after re-checking: nothing was played.
    case notPlayed(GitLabJob, cause: GitLabError)
    /// The answer was lost and the job was started by someone else: not our play.
    case playedByAnother(GitLabJob, cause: GitLabError)
    /// The answer was lost and the job could not be read back: the outcome is unknown.
    case unknown(cause: GitLabError, recheckFailure: GitLabError)
    /// The request outlived the wait (client timeout, a gateway's 502/504, or a connection
    /// dropped after the request went out) and the job is still `manual`: GitLab may still be
    /// working on it and play it later, so nothing is known.
    case undetermined(GitLabJob, cause: GitLabError)

    /// True only when GitLab confirms that this token's user played the job.
    public var isPlayedByUs: Bool {
        switch self {
        case .played, .playedDespiteLostAnswer: true
        case .notPlayed, .playedByAnother, .unknown, .undetermined: false
        }
    }

    public var job: GitLabJob? {
        switch self {
        case .played(let job), .playedDespiteLostAnswer(let job, _), .notPlayed(let job, _),
            .playedByAnother(let job, _), .undetermined(let job, _):
            job
        case .unknown: nil
        }
    }
}
