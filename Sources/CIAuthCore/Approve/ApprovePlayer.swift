import GitLab

/// What became of one job (also the `--json` output).
public struct ApproveJobResult: Sendable, Encodable, Equatable {
    public enum Result: String, Sendable, Encodable {
        /// GitLab confirmed the play.
        case played
        /// The answer was lost, but GitLab shows the job played by us.
        case playedDespiteLostAnswer = "played-despite-lost-answer"
        /// The answer was lost and the job is still manual: not played (play it again with a new approval).
        case notPlayed = "not-played"
        /// The answer was lost and someone else started the job.
        case playedByAnother = "played-by-another"
        /// The answer was lost and the job could not be read back: unknown.
        case unknown
        /// GitLab refused the play.
        case refused
    }

    public var jobID: Int
    public var name: String
    public var webURL: String
    public var result: Result
    /// The job's status after the play, when known.
    public var status: String?
    /// Who GitLab says played the job (the token's user), when known.
    public var player: String?
    public var playerID: Int?
    public var error: String?
    public var errorCode: String?

    public var succeeded: Bool { result == .played || result == .playedDespiteLostAnswer }
}

/// Plays the approved jobs, each exactly once (never retried): the first alone, so a refusal
/// that applies to all (variables not allowed) is met once, then the rest with bounded concurrency.
struct ApprovePlayer {
    let gitlab: GitLabClient
    let projectID: Int
    let variable: String
    let concurrency: Int

    func play(_ work: [(job: GitLabJob, value: String)]) async -> [ApproveJobResult] {
        guard let first = work.first else { return [] }
        let head = await playOne(first.job, value: first.value)
        if head.result == .refused, head.errorCode == GitLabError.Code.pipelineVariablesNotAllowed.rawValue {
            return [head] + work.dropFirst().map { Self.skipped($0.job, because: head) }
        }
        var results = [head]
        var rest = work.dropFirst()[...]
        while !rest.isEmpty {
            let batch = rest.prefix(max(concurrency, 1))
            rest = rest.dropFirst(batch.count)
            results += await withTaskGroup(of: (Int, ApproveJobResult).self) { group in
                for (index, item) in batch.enumerated() {
                    group.addTask { (index, await playOne(item.job, value: item.value)) }
                }
                var ordered = [ApproveJobResult?](repeating: nil, count: batch.count)
                for await (index, result) in group { ordered[index] = result }
                return ordered.compactMap { $0 }
            }
        }
        return results
    }

    private func playOne(_ job: GitLabJob, value: String) async -> ApproveJobResult {
        var result = ApproveJobResult(jobID: job.id, name: job.name, webURL: job.webURL, result: .refused)
        do {
            let outcome = try await gitlab.play(job: job.id, in: .id(projectID), variables: [PlayVariable(key: variable, value: value)])
            result.status = outcome.job?.status.rawValue
            result.player = outcome.job?.user?.username
            result.playerID = outcome.job?.user?.id
            switch outcome {
            case .played: result.result = .played
            case .playedDespiteLostAnswer(_, let cause):
                result.result = .playedDespiteLostAnswer
                result.error = cause.description
            case .notPlayed(_, let cause):
                result.result = .notPlayed
                result.error = cause.description
            case .playedByAnother(_, let cause):
                result.result = .playedByAnother
                result.error = cause.description
            case .unknown(let cause, let recheck):
                result.result = .unknown
                result.error = "\(cause); reading the job back failed too: \(recheck)"
            }
        } catch {
            result.error = error.description
            result.errorCode = error.code.rawValue
        }
        return result
    }

    private static func skipped(_ job: GitLabJob, because first: ApproveJobResult) -> ApproveJobResult {
        ApproveJobResult(
            jobID: job.id, name: job.name, webURL: job.webURL, result: .refused, status: job.status.rawValue, player: nil, playerID: nil,
            error: "not attempted: GitLab refused job \(first.jobID) for the same reason", errorCode: first.errorCode)
    }
}
