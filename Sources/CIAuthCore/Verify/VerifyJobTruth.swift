import Foundation
import GitLab

/// The running job as GitLab states it (`GET /job` with the job token), and the checks that the
/// job's environment variables agree with it (DESIGN trust model point 4).
struct VerifyJobTruth: Sendable {
    var facts: JobFacts
    var stage: String

    /// The job's user: for a played manual job, whoever played it. Part of the facts so the audit
    /// record keeps it; verify's own player check judges it (the verifier's policy never does).
    var player: String? { facts.player }

    /// Reads GitLab's answer; the project path comes from the job's web URL under the pinned server.
    init(job: GitLabJob, server: String) throws(VerifyFailure) {
        guard let path = JobWebURL.projectPath(of: job.webURL, jobID: job.id, server: server) else {
            throw VerifyFailure(
                "job-url-mismatch", .tampering,
                "GitLab's job URL \(ApprovalStatement.quoted(job.webURL)) is not SERVER/GROUP/PROJECT/-/jobs/\(job.id) under the pinned server \(server)",
                remedy: "pin the server this job really runs on")
        }
        facts = JobFacts(
            server: server, projectID: job.projectID, projectPath: path, pipelineID: job.pipeline.id,
            jobID: job.id, jobName: job.name, ref: job.ref, commitSHA: job.pipeline.sha, player: job.user?.username)
        stage = job.stage
    }

    /// GitLab sets these in every job; none of them set means a person's shell, not a job (a
    /// variable set to an empty value still counts: inside a job, emptying one is tampering).
    static func isInsideJob(_ environment: [String: String]) -> Bool {
        ["CI_JOB_TOKEN", "CI_JOB_ID", "GITLAB_CI"].contains { environment[$0] != nil }
    }

    /// Each identity variable must equal GitLab's value; the first disagreement is reported.
    func checkEnvironment(_ environment: [String: String]) throws(VerifyFailure) {
        var expected: [(String, String)] = [
            ("CI_JOB_ID", String(facts.jobID)),
            ("CI_JOB_NAME", facts.jobName),
            ("CI_PIPELINE_ID", String(facts.pipelineID)),
            ("CI_PROJECT_ID", String(facts.projectID)),
            ("CI_PROJECT_PATH", facts.projectPath),
            ("CI_COMMIT_SHA", facts.commitSHA),
            ("CI_COMMIT_REF_NAME", facts.ref),
        ]
        if let player { expected.append(("GITLAB_USER_LOGIN", player)) }
        for (name, truth) in expected where environment[name] != truth {
            throw VerifyFailure.environmentTampered(name, claims: environment[name], truth: truth)
        }
        if player == nil, let claimed = environment["GITLAB_USER_LOGIN"], !claimed.isEmpty {
            throw VerifyFailure.environmentTampered("GITLAB_USER_LOGIN", claims: claimed, truth: "")
        }
    }

    /// GitLab's job entity has no environment: the pinned one is the expectation, and the job's
    /// `CI_ENVIRONMENT_NAME` must name it too.
    static func checkEnvironmentName(pinned: String?, environment: [String: String]) throws(VerifyFailure) {
        guard let pinned else { return }
        guard environment["CI_ENVIRONMENT_NAME"] == pinned else {
            throw VerifyFailure(
                "environment-name-mismatch", .tampering,
                "the pipeline definition pins environment \"\(pinned)\" but CI_ENVIRONMENT_NAME is "
                    + (environment["CI_ENVIRONMENT_NAME"].map(ApprovalStatement.quoted) ?? "unset"),
                remedy: "gate the job whose environment: is \(pinned), and do not override CI_ENVIRONMENT_NAME")
        }
    }
}
