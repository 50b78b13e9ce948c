@testable import CIAuthCore
import Foundation
import GitLab
import Logging
import Testing

/// The pipeline read with the read token must describe the job's own pipeline before its `user`
/// decides self-approval. A real GitLab never disagrees, so the check is tested here.
@Suite struct PipelineCreatorTests {
    static let sha = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c"
    static let facts = JobFacts(
        server: "https://gitlab.example.com", projectID: 100, projectPath: "acme/web", pipelineID: 500, jobID: 9001,
        jobName: "deploy", ref: "main", commitSHA: sha)

    static func pipeline(id: Int = 500, projectID: Int = 100, sha: String = sha, user: String? = #"{"id": 3, "username": "bob", "name": "Bob", "state": "active"}"#) throws -> GitLabPipeline {
        let json = #"{"id": \#(id), "iid": 1, "project_id": \#(projectID), "sha": "\#(sha)", "ref": "main", "status": "manual", "source": "push", "user": \#(user ?? "null")}"#
        return try JSONDecoder().decode(GitLabPipeline.self, from: Data(json.utf8))
    }

    @Test func agreeingPipelineNamesItsCreator() throws {
        #expect(try VerifyPipelineCreator.creator(of: try Self.pipeline(), agreeingWith: Self.facts) == "bob")
    }

    @Test(arguments: [
        (501, 100, sha, "id"),
        (500, 200, sha, "project"),
        (500, 100, String(repeating: "a", count: 40), "commit"),
    ])
    func disagreementIsTampering(_ id: Int, _ projectID: Int, _ sha: String, _ field: String) throws {
        let pipeline = try Self.pipeline(id: id, projectID: projectID, sha: sha)
        #expect {
            _ = try VerifyPipelineCreator.creator(of: pipeline, agreeingWith: Self.facts)
        } throws: { error in
            guard let failure = error as? VerifyFailure else { return false }
            return failure.reason == "pipeline-read-mismatch" && failure.failureClass == .tampering
                && failure.explanation.contains("has \(field) ")
        }
    }

    @Test func pipelineWithoutCreatorIsUndecidable() throws {
        #expect {
            _ = try VerifyPipelineCreator.creator(of: try Self.pipeline(user: nil), agreeingWith: Self.facts)
        } throws: { error in
            (error as? VerifyFailure)?.reason == "self-approval-undecidable"
        }
    }

    @Test(arguments: ["", "alice ", "al/ice", "-alice", "ali\\u0000ce"])
    func creatorThatIsNoUsernameIsUndecidable(_ username: String) throws {
        let user = #"{"id": 3, "username": "\#(username)", "name": "X", "state": "active"}"#
        #expect {
            _ = try VerifyPipelineCreator.creator(of: try Self.pipeline(user: user), agreeingWith: Self.facts)
        } throws: { error in
            guard let failure = error as? VerifyFailure else { return false }
            return failure.reason == "self-approval-undecidable" && failure.explanation.contains("not a GitLab username")
        }
    }

    @Test func missingTokenSaysWhatToConfigure() async throws {
        let settings = try VerifySettings(flags: Self.flags(readTokenVariable: nil), file: nil)
        let unconfigured = VerifyReadToken(settings: settings, environment: [:], options: GitLabClientOptions(), logger: .init(label: "test"))
        #expect(unconfigured.missing == "no --read-token-variable is configured")
        let named = try VerifySettings(flags: Self.flags(readTokenVariable: "READ_TOKEN"), file: nil)
        let unset = VerifyReadToken(settings: named, environment: ["READ_TOKEN": ""], options: GitLabClientOptions(), logger: .init(label: "test"))
        #expect(unset.missing?.contains("READ_TOKEN") == true)
        let set = VerifyReadToken(settings: named, environment: ["READ_TOKEN": "x"], options: GitLabClientOptions(), logger: .init(label: "test"))
        #expect(set.missing == nil)
        do {
            _ = try await VerifyPipelineCreator(readToken: unconfigured).creator(of: Self.facts)
            Issue.record("expected a failure")
        } catch {
            #expect(error.reason == "self-approval-undecidable")
            #expect(error.remedy.contains("--read-token-variable") && error.remedy.contains("read_token_variable:"))
        }
    }

    @Test func readTokenVariableComesFromFlagOrFile() throws {
        var file = RepositoryPolicy()
        file.readTokenVariable = "FILE_TOKEN"
        #expect(try VerifySettings(flags: Self.flags(readTokenVariable: nil), file: file).readTokenVariable == "FILE_TOKEN")
        #expect(try VerifySettings(flags: Self.flags(readTokenVariable: "FLAG_TOKEN"), file: file).readTokenVariable == "FLAG_TOKEN")
        #expect(throws: VerifyFailure.self) { try VerifySettings(flags: Self.flags(readTokenVariable: "NOT-A-NAME"), file: nil) }
    }

    static func flags(readTokenVariable: String?) -> VerifyRequest.Flags {
        var flags = VerifyRequest.Flags()
        flags.server = "https://gitlab.example.com"
        flags.project = "acme/web"
        flags.jobName = "deploy"
        flags.readTokenVariable = readTokenVariable
        return flags
    }
}
