import Foundation
import GitLabSim
import Testing

/// `GET /projects/:id/pipelines/:pipeline_id` against gitlab-api.md §1, §1.6 and §7.
@Suite struct PipelinesContractTests {
    static let pipelineFields = ProjectsJobsContractTests.pipelineFields + [
        "before_sha", "tag", "yaml_errors", "user", "started_at", "finished_at", "committed_at", "duration",
        "queued_duration", "coverage", "detailed_status",
    ]
    static let userFields = ["id", "username", "public_email", "name", "state", "locked", "avatar_url", "web_url"]

    @Test func pipelineHasGitLabShapeAndItsCreator() async throws {
        try await withSimulator { _, http in
            let response = try await http.get("/api/v4/projects/100/pipelines/500", token: "carol-token")
            #expect(response.status == 200)
            let pipeline = try #require(response.json)
            #expect(Set(pipeline.keys) == Set(Self.pipelineFields))
            #expect(pipeline["id"]?.intValue == 500 && pipeline["project_id"]?.intValue == 100)
            #expect(pipeline["sha"]?.stringValue == "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c")
            #expect(pipeline["ref"]?.stringValue == "main" && pipeline["source"]?.stringValue == "push")
            #expect(Set(pipeline["user"]?.keys ?? []) == Set(Self.userFields))
            #expect(pipeline["user"]?["username"]?.stringValue == "alice")
            #expect(pipeline["user"]?["id"]?.intValue == 2)
            #expect(pipeline["detailed_status"]?["group"]?.stringValue == pipeline["status"]?.stringValue)
            #expect(pipeline["web_url"]?.stringValue?.hasSuffix("/acme/platform/deployer/-/pipelines/500") == true)
            let byPath = try await http.get("/api/v4/projects/acme%2Fplatform%2Fdeployer/pipelines/500", token: "alice-read")
            #expect(byPath.json == response.json, "a read_api token reads it, by encoded path too")
        }
    }

    @Test func playingAJobChangesTheJobUserNotThePipelineCreator() async throws {
        try await withSimulator { simulator, http in
            #expect(try await http.post("/api/v4/projects/100/jobs/9002/play", token: "bob-token").status == 200)
            _ = try await simulator.waitForJob(id: 9002)
            let job = try await http.get("/api/v4/projects/100/jobs/9002", token: "bob-token").json
            #expect(job?["user"]?["username"]?.stringValue == "bob")
            let pipeline = try await http.get("/api/v4/projects/100/pipelines/500", token: "bob-token").json
            #expect(pipeline?["user"]?["username"]?.stringValue == "alice")
        }
    }

    @Test func readRulesAndErrors() async throws {
        try await withSimulator { simulator, http in
            let anonymous = try await http.get("/api/v4/projects/100/pipelines/500")
            #expect(anonymous.status == 404 && anonymous.message == "404 Project Not Found")
            #expect(try await http.get("/api/v4/projects/100/pipelines/500", token: "mallory-token").status == 404)
            let missing = try await http.get("/api/v4/projects/100/pipelines/999", token: "alice-token")
            #expect(missing.status == 404 && missing.message == "404 Not found")
            let elsewhere = try await http.get("/api/v4/projects/101/pipelines/500", token: "alice-token")
            #expect(elsewhere.status == 404, "pipeline of another project")
            let invalid = try await http.get("/api/v4/projects/100/pipelines/abc", token: "alice-token")
            #expect(invalid.status == 400 && invalid.message == "pipeline_id is invalid")
            // Internal project: any signed-in user reads its pipelines.
            #expect(try await http.get("/api/v4/projects/101/pipelines/600", token: "mallory-token").status == 200)
            // A guest of a private project sees the project but may not read its pipelines.
            try simulator.setMembership(projectId: 100, userId: 7, accessLevel: 10)
            let guest = try await http.get("/api/v4/projects/100/pipelines/500", token: "mallory-token")
            #expect(guest.status == 403 && guest.message == "403 Forbidden")
            #expect(try await http.get("/api/v4/projects/100/pipelines/999", token: "mallory-token").status == 404)
            let unknownToken = try await http.get("/api/v4/projects/101/pipelines/600", token: "no-such-token")
            #expect(unknownToken.status == 401)
        }
    }

    @Test func seededPipelineWithoutUserHasNullCreator() async throws {
        try await withSimulator { simulator, http in
            try simulator.addPipeline(
                SimSeed.Pipeline(id: 900, ref: "main", sha: "feedfacefeedfacefeedfacefeedfacefeedface"), toProject: 100)
            let pipeline = try await http.get("/api/v4/projects/100/pipelines/900", token: "alice-token").json
            #expect(pipeline?["user"]?.isNull == true)
            #expect(pipeline?["status"]?.stringValue == "created")
        }
    }
}
