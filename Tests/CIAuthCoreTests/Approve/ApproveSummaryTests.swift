import Foundation
import GitLab
import Testing

@testable import CIAuthCore

/// What approve shows before the touch, for a job as GitLab answers it.
@Suite struct ApproveSummaryTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    /// A job as `GET /projects/:id/jobs/:id` answers it; `commit` is raw JSON (`null` after a force-push
    /// let GitLab collect the commit).
    static func job(commit: String) throws -> GitLabJob {
        let json = """
            {"id": 9910, "name": "deploy", "stage": "deploy", "status": "manual", "ref": "main", "tag": false,
             "web_url": "https://gitlab.example.com/acme/web/-/jobs/9910", "user": null, "commit": \(commit),
             "pipeline": {"id": 910, "project_id": 100, "ref": "main", "sha": "\(sha)", "status": "manual"}}
            """
        return try JSONDecoder().decode(GitLabJob.self, from: Data(json.utf8))
    }

    static func summary(_ job: GitLabJob) throws -> String {
        let targets = ApproveTargets(
            approver: ApproveApprover(id: 2, username: "alice", source: .gitlab), project: ApproveProject(id: 100, path: "acme/web"),
            jobs: [job], skipped: [], environments: [:], unprovenEnvironments: [])
        let statement = try ApprovalStatement.issue(
            server: "https://gitlab.example.com", projectID: 100, projectPath: "acme/web", pipelineID: 910,
            jobs: [ApprovalStatement.Job(id: job.id, name: job.name)], ref: "main", commitSHA: sha,
            approver: "alice", approverID: 2, now: Date())
        return ApproveSummary.text(targets, statements: [statement], validitySeconds: 3600)
    }

    @Test func aCommitGitLabNoLongerHasIsNamedAsGone() throws {
        let text = try Self.summary(try Self.job(commit: "null"))
        #expect(text.contains("commit 01234567 (no longer in the repository, garbage-collected after a force-push: the job cannot check it out)"))
    }

    @Test func aPresentCommitShowsItsTitle() throws {
        let text = try Self.summary(try Self.job(commit: #"{"id": "\#(Self.sha)", "short_id": "01234567", "title": "Release 1.2"}"#))
        #expect(text.contains(#"commit 01234567 "Release 1.2""#))
        #expect(!text.contains("no longer in the repository"))
    }
}
