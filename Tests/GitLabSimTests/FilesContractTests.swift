import Foundation
import GitLabSim
import Testing

/// The repository files API (lib/api/files.rb): a file as committed at a ref, JSON with base64
/// content or raw; GitLab's order of refusals and its three 404s.
@Suite struct FilesContractTests {
    static let sha = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c"
    static let policy = "approvers: [alice]\n"

    static func addCommit(_ simulator: GitLabSimulator) throws {
        let commit = SimSeed.Commit(title: "Policy", files: [".ciauth.yml": policy, "ci/deploy.yml": "x: 1\n"])
        try simulator.addPipeline(SimSeed.Pipeline(id: 880, ref: "policy", sha: String(repeating: "ab", count: 20), user: "alice", commit: commit), toProject: 100)
    }

    @Test func fileAtACommitAsJSONAndRaw() async throws {
        try await withSimulator { simulator, http in
            try Self.addCommit(simulator)
            let sha = String(repeating: "ab", count: 20)
            let file = try await http.get("/api/v4/projects/100/repository/files/.ciauth.yml?ref=\(sha)", token: "alice-read")
            #expect(file.status == 200)
            let json = try #require(file.json)
            #expect(Set(json.keys) == [
                "file_name", "file_path", "size", "encoding", "content_sha256", "ref", "blob_id", "commit_id", "last_commit_id",
                "execute_filemode", "content",
            ])
            #expect(json["encoding"]?.stringValue == "base64" && json["commit_id"]?.stringValue == sha)
            #expect(json["content"]?.stringValue == Data(Self.policy.utf8).base64EncodedString())
            // git hash-object of "approvers: [alice]\n"
            #expect(json["blob_id"]?.stringValue?.count == 40)
            let raw = try await http.get("/api/v4/projects/acme%2Fplatform%2Fdeployer/repository/files/.ciauth.yml/raw?ref=\(sha)", token: "alice-read")
            #expect(raw.status == 200 && String(decoding: raw.body, as: UTF8.self) == Self.policy)
            let nested = try await http.get("/api/v4/projects/100/repository/files/ci%2Fdeploy.yml/raw?ref=policy", token: "alice-read")
            #expect(String(decoding: nested.body, as: UTF8.self) == "x: 1\n", "a branch names its newest pipeline's commit")
        }
    }

    @Test func refusalsInGitLabsOrder() async throws {
        try await withSimulator { simulator, http in
            try Self.addCommit(simulator)
            let sha = String(repeating: "ab", count: 20)
            let absent = try await http.get("/api/v4/projects/100/repository/files/.ciauth.yml/raw?ref=\(Self.sha)", token: "alice-token")
            #expect(absent.status == 404 && absent.message == "404 File Not Found", "the seeded commit has no files")
            let commit = try await http.get("/api/v4/projects/100/repository/files/.ciauth.yml/raw?ref=\(String(repeating: "cd", count: 20))", token: "alice-token")
            #expect(commit.status == 404 && commit.message == "404 Commit Not Found")
            let noRef = try await http.get("/api/v4/projects/100/repository/files/.ciauth.yml", token: "alice-token")
            #expect(noRef.status == 400 && noRef.message == "ref is missing")
            #expect(try await http.get("/api/v4/projects/100/repository/files/.ciauth.yml/raw?ref=\(sha)").status == 404, "private: anonymous sees no project")
            try simulator.setMembership(projectId: 100, userId: 7, accessLevel: 10)
            let guest = try await http.get("/api/v4/projects/100/repository/files/.ciauth.yml/raw?ref=\(sha)", token: "mallory-token")
            #expect(guest.status == 403 && guest.message == "403 Forbidden", "a guest does not read code of a private project")
        }
    }
}
