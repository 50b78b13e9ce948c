import Foundation
import GitLabSim
import Testing

/// Projects and jobs against gitlab-api.md §1 and §7.
@Suite struct ProjectsJobsContractTests {
    static let jobFields = [
        "id", "status", "stage", "name", "ref", "tag", "coverage", "allow_failure", "created_at", "started_at",
        "finished_at", "erased_at", "duration", "queued_duration", "user", "commit", "pipeline", "web_url", "project",
        "artifacts", "runner", "runner_manager", "artifacts_expire_at", "archived", "tag_list",
    ]
    static let pipelineFields = ["id", "iid", "project_id", "sha", "ref", "status", "source", "created_at", "updated_at", "web_url"]
    static let commitFields = [
        "id", "short_id", "created_at", "parent_ids", "title", "message", "author_name", "author_email",
        "authored_date", "committer_name", "committer_email", "committed_date", "trailers", "extended_trailers", "web_url",
    ]

    @Test func projectByIdOrEncodedPath() async throws {
        try await withSimulator { _, http in
            let byPath = try await http.get("/api/v4/projects/acme%2Fplatform%2Fdeployer", token: "bob-token")
            #expect(byPath.status == 200)
            #expect(byPath.json?["id"]?.intValue == 100)
            #expect(byPath.json?["path_with_namespace"]?.stringValue == "acme/platform/deployer")
            let byId = try await http.get("/api/v4/projects/100", token: "bob-token")
            #expect(byId.json?["namespace"]?["full_path"]?.stringValue == "acme/platform")
            let unencoded = try await http.get("/api/v4/projects/acme/platform/deployer", token: "bob-token")
            #expect(unencoded.status == 404)
            let outsider = try await http.get("/api/v4/projects/100", token: "mallory-token")
            #expect(outsider.status == 404)
            #expect(outsider.message == "404 Project Not Found")
            #expect(try await http.get("/api/v4/projects/100").status == 404)
            #expect(try await http.get("/api/v4/projects/101").status == 404, "internal needs sign-in")
            #expect(try await http.get("/api/v4/projects/101", token: "mallory-token").status == 200)
        }
    }

    @Test func pipelineVariablesRoleIsShownToMaintainersOnly() async throws {
        try await withSimulator { _, http in
            let maintainer = try await http.get("/api/v4/projects/100", token: "alice-token")
            #expect(maintainer.json?["ci_pipeline_variables_minimum_override_role"]?.stringValue == "developer")
            #expect(maintainer.json?["permissions"]?["group_access"]?["access_level"]?.intValue == 40)
            let developer = try await http.get("/api/v4/projects/100", token: "bob-token")
            #expect(developer.json?["ci_pipeline_variables_minimum_override_role"] == nil)
            let admin = try await http.get("/api/v4/projects/101", token: "root-token")
            #expect(admin.json?["ci_pipeline_variables_minimum_override_role"]?.stringValue == "no_one_allowed")
        }
    }

    @Test func jobHasGitLabShapeWithoutEnvironment() async throws {
        try await withSimulator { _, http in
            let response = try await http.get("/api/v4/projects/100/jobs/9001", token: "carol-token")
            #expect(response.status == 200)
            let job = try #require(response.json)
            #expect(Set(job.keys) == Set(Self.jobFields))
            #expect(Set(job["pipeline"]?.keys ?? []) == Set(Self.pipelineFields))
            #expect(Set(job["commit"]?.keys ?? []) == Set(Self.commitFields))
            #expect(job["status"]?.stringValue == "manual")
            #expect(job["commit"]?["title"]?.stringValue == "Release 1.2")
            #expect(job["user"]?["username"]?.stringValue == "alice")
            #expect(job["pipeline"]?["status"]?.stringValue == "manual")
            #expect(job["allow_failure"]?.boolValue == true)
            #expect(job["environment"] == nil)
            #expect(job["web_url"]?.stringValue?.hasSuffix("/acme/platform/deployer/-/jobs/9001") == true)
        }
    }

    @Test func jobReadRulesAndErrors() async throws {
        try await withSimulator { _, http in
            #expect(try await http.get("/api/v4/projects/100/jobs/424242", token: "bob-token").message == "404 Job Not Found")
            #expect(try await http.get("/api/v4/projects/101/jobs/9001", token: "root-token").status == 404, "job of another project")
            #expect(try await http.get("/api/v4/projects/100/jobs/9001").status == 404)
            let guest = try await http.get("/api/v4/projects/101/jobs/9200", token: "mallory-token")
            #expect(guest.status == 200, "internal project: any signed-in user reads jobs")
        }
    }

    @Test func failureReasonOnlyWhenFailed() async throws {
        try await withSimulator { simulator, http in
            #expect(try await http.post("/api/v4/projects/100/jobs/9002/play", token: "bob-token").status == 200)
            let finished = try await simulator.waitForJob(id: 9002)
            #expect(finished.status == "failed")
            #expect(finished.exitCode == 3)
            let job = try await http.get("/api/v4/projects/100/jobs/9002", token: "bob-token").json
            #expect(job?["failure_reason"]?.stringValue == "script_failure")
            #expect(job?.keys.contains("failure_reason") == true)
            let manual = try await http.get("/api/v4/projects/100/jobs/9001", token: "bob-token").json
            #expect(manual?.keys.contains("failure_reason") == false)
        }
    }

    @Test func pipelineJobsFilterByScope() async throws {
        try await withSimulator { _, http in
            let manual = try await http.get("/api/v4/projects/100/pipelines/500/jobs?scope[]=manual", token: "bob-token")
            #expect(manual.json?.arrayValue?.map { $0["id"]?.intValue } == [9002, 9001], "newest first")
            let several = try await http.get("/api/v4/projects/100/pipelines/500/jobs?scope[]=manual&scope[]=success", token: "bob-token")
            #expect(several.json?.arrayValue?.count == 3)
            let plain = try await http.get("/api/v4/projects/100/pipelines/500/jobs?scope=success", token: "bob-token")
            #expect(plain.json?.arrayValue?.map { $0["id"]?.intValue } == [9000])
            let invalid = try await http.get("/api/v4/projects/100/pipelines/500/jobs?scope[]=bogus", token: "bob-token")
            #expect(invalid.status == 400)
            #expect(invalid.json == .object([("error", .string("scope does not have a valid value"))]))
            let missing = try await http.get("/api/v4/projects/100/pipelines/999/jobs", token: "bob-token")
            #expect(missing.message == "404 Pipeline Not Found")
        }
    }
}
