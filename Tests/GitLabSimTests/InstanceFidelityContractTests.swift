import Foundation
import GitLabSim
import Testing

/// Where GitLab is less kind than a naive simulator (gitlab-api.md, "Corrections"): hidden user
/// states, restricted Public visibility, the two pipeline-variables settings, job tokens on
/// routes that do not take them, uncounted listings, and jobs whose commit is gone.
@Suite struct InstanceFidelityContractTests {
    /// The fixture seed plus one user in each state GitLab hides or shows with its state.
    static func seedWithStates(restrictPublic: Bool = false) throws -> SimSeed {
        var seed = try Fixtures.seed()
        let states: [(Int, String, SimSeed.UserState)] = [
            (20, "bram", .banned), (21, "lena", .ldapBlocked), (22, "pia", .blockedPendingApproval),
        ]
        for (id, name, state) in states { seed.users.append(SimSeed.User(id: id, username: name, name: name, state: state)) }
        if restrictPublic { seed.settings = SimSeed.Settings(restrictedVisibilityLevels: ["public"]) }
        return seed
    }

    @Test func usersSearchHidesBlockedBannedAndLDAPBlockedFromNonAdmins() async throws {
        try await withSimulator(try Self.seedWithStates()) { _, http in
            for (name, hidden) in [("dave", true), ("bram", true), ("lena", true), ("erin", false), ("pia", false)] {
                for token in [nil, "bob-token"] as [String?] {
                    let found = try await http.get("/api/v4/users?username=\(name)", token: token)
                    #expect(found.status == 200)
                    #expect((found.json?.arrayValue?.count ?? -1) == (hidden ? 0 : 1), "\(name) as \(token ?? "anonymous")")
                }
                let admin = try await http.get("/api/v4/users?username=\(name)", token: "root-token")
                #expect(admin.json?.arrayValue?.count == 1, "administrators see \(name)")
            }
            let states = try await http.get("/api/v4/users?username=pia").json?.arrayValue?.first?["state"]?.stringValue
            #expect(states == "blocked_pending_approval")
            let erin = try await http.get("/api/v4/users?username=erin").json?.arrayValue?.first?["state"]?.stringValue
            #expect(erin == "deactivated")
            let lena = try await http.get("/api/v4/users?username=lena", token: "root-token").json?.arrayValue?.first
            #expect(lena?["state"]?.stringValue == "ldap_blocked")
            // The keys of a hidden user stay readable: the listing, not the profile, hides them.
            #expect(try await http.get("/api/v4/users/5/keys").status == 200)
        }
    }

    @Test func newStatesCannotUseTheirTokens() async throws {
        var seed = try Self.seedWithStates()
        seed.users[seed.users.count - 1].tokens = ["pia-token"]
        seed.users[seed.users.count - 2].tokens = ["lena-token"]
        try await withSimulator(seed) { _, http in
            let pending = try await http.get("/api/v4/user", token: "pia-token")
            #expect(pending.status == 403)
            #expect(pending.message == "403 Forbidden - Your account is pending approval from your administrator and hence blocked.")
            #expect(try await http.get("/api/v4/user", token: "lena-token").message == "403 Forbidden - Your account has been blocked.")
        }
    }

    @Test func restrictedPublicVisibilityHidesUsersFromAnonymousVisitors() async throws {
        try await withSimulator(try Self.seedWithStates(restrictPublic: true)) { _, http in
            let users = try await http.get("/api/v4/users?username=alice")
            #expect(users.status == 403)
            #expect(users.message == "403 Forbidden - Not authorized to access /api/v4/users")
            for path in ["/api/v4/users/alice/keys", "/api/v4/users/2/keys", "/api/v4/users/2/keys/71"] {
                let keys = try await http.get(path)
                #expect(keys.status == 404, "\(path)")
                #expect(keys.message == "404 User Not Found")
            }
            // Any signed-in user still reads them, a read_api token included.
            #expect(try await http.get("/api/v4/users?username=alice", token: "bob-token").json?.arrayValue?.count == 1)
            #expect(try await http.get("/api/v4/users/2/keys", token: "alice-read").status == 200)
        }
    }

    @Test func restrictedVisibilityIsASeedSetting() throws {
        let json = #"{"settings": {"restricted_visibility_levels": ["public"]}, "users": [{"id": 1, "username": "u", "state": "ldap_blocked"}]}"#
        let seed = try SimSeed.decode(json: Data(json.utf8))
        #expect(seed.settings.restrictedVisibilityLevels == ["public"])
        #expect(seed.users.first?.state == .ldapBlocked)
        #expect(throws: (any Error).self) { try SimSeed.decode(json: Data(#"{"settings": {"restricted_visibility": true}}"#.utf8)) }
    }

    @Test func unknownVisibilityLevelIsRefused() async throws {
        let seed = SimSeed(settings: SimSeed.Settings(restrictedVisibilityLevels: ["secret"]))
        await #expect(throws: SimError.self) { _ = try await GitLabSimulator.start(seed: seed) }
    }

    @Test func restrictUserDefinedVariablesIsStoredApartFromTheRole() async throws {
        var seed = try Fixtures.seed()
        let index = try #require(seed.projects.firstIndex { $0.id == 100 })
        seed.projects[index].ciPipelineVariablesMinimumOverrideRole = "no_one_allowed"
        seed.projects[index].restrictUserDefinedVariables = false
        try await withSimulator(seed) { simulator, http in
            let project = try await http.get("/api/v4/projects/100", token: "alice-token").json
            #expect(project?["restrict_user_defined_variables"]?.boolValue == false)
            #expect(project?["ci_pipeline_variables_minimum_override_role"]?.stringValue == "no_one_allowed")
            // Not restricted: whoever may play passes variables, whatever the role says.
            let variables = #"{"job_variables_attributes":[{"key":"A","value":"1"}]}"#
            let played = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", json: variables)
            #expect(played.status == 200, "\(played.text)")
            // Restricted: the role decides again.
            try simulator.setRestrictUserDefinedVariables(projectId: 100, restrict: true)
            let restricted = try await http.get("/api/v4/projects/100", token: "alice-token").json
            #expect(restricted?["restrict_user_defined_variables"]?.boolValue == true)
            let refused = try await http.post("/api/v4/projects/100/jobs/9002/play", token: "alice-token", json: variables)
            #expect(refused.status == 403)
        }
    }

    @Test func jobTokenIsIgnoredWhereNotAccepted() async throws {
        try await withSimulator { simulator, http in
            let token = try await RunningJob.start(simulator: simulator, http: http)
            defer { token.release(); token.cleanUp() }
            for headers in [[("JOB-TOKEN", token.value)], [("Authorization", "Bearer \(token.value)")]] {
                // Anonymous answers: the public keys listing works, the private project is not found.
                let keys = try await http.get("/api/v4/users/alice/keys", headers: headers)
                #expect(keys.status == 200)
                let users = try await http.get("/api/v4/users?username=alice", headers: headers)
                #expect(users.json?.arrayValue?.count == 1)
                let job = try await http.get("/api/v4/projects/100/jobs/9001", headers: headers)
                #expect(job.status == 404 && job.message == "404 Project Not Found")
                let user = try await http.get("/api/v4/user", headers: headers)
                #expect(user.status == 401)
            }
            // A dead or unknown job token is ignored there too (GitLab never reads it).
            #expect(try await http.get("/api/v4/users/alice/keys", headers: [("JOB-TOKEN", "glcbt-nothing")]).status == 200)
            #expect(try await http.get("/api/v4/job", headers: [("JOB-TOKEN", "glcbt-nothing")]).status == 401)
        }
    }

    @Test func jobTokenReadsItsOwnPipelineAndItsJobs() async throws {
        try await withSimulator { simulator, http in
            let running = try await RunningJob.start(simulator: simulator, http: http)
            defer { running.release(); running.cleanUp() }
            let pipelineId = running.jobId + 100_000
            for headers in [[("JOB-TOKEN", running.value)], [("Authorization", "Bearer \(running.value)")]] {
                let own = try await http.get("/api/v4/projects/100/pipelines/\(pipelineId)", headers: headers)
                #expect(own.status == 200)
                #expect(own.json?["user"]?["username"]?.stringValue == "alice")
                let jobs = try await http.get("/api/v4/projects/100/pipelines/\(pipelineId)/jobs", headers: headers)
                #expect(jobs.json?.arrayValue?.map { $0["id"]?.intValue } == [running.jobId])
                let other = try await http.get("/api/v4/projects/101/pipelines/600", headers: headers)
                #expect(other.status == 404, "another project is outside the job token's allowlist")
            }
            let dead = try await http.get("/api/v4/projects/100/pipelines/\(pipelineId)", headers: [("JOB-TOKEN", "glcbt-nothing")])
            #expect(dead.status == 401, "a route that takes job tokens refuses one that matches nothing")
        }
    }

    @Test func totalsAreLeftOutAboveTenThousandRows() async throws {
        var seed = try Fixtures.seed()
        let counted = seed.users.count
        for id in 0..<(10_000 - counted) { seed.users.append(SimSeed.User(id: 100_000 + id, username: "user\(id)", name: "U")) }
        try await withSimulator(seed) { simulator, http in
            let exactly = try await http.get("/api/v4/users?per_page=100", token: "root-token")
            #expect(exactly.header("x-total") == "10000")
            #expect(exactly.header("x-total-pages") == "100")
            #expect(exactly.header("link")?.contains(#"rel="last""#) == true)
            try simulator.addUser(SimSeed.User(id: 99_999, username: "one-more", name: "One More"))
            let over = try await http.get("/api/v4/users?per_page=100", token: "root-token")
            #expect(over.header("x-total") == nil)
            #expect(over.header("x-total-pages") == nil)
            #expect(over.header("link")?.contains(#"rel="last""#) == false)
            #expect(over.header("x-next-page") == "2")
            #expect(over.header("link")?.contains(#"rel="next""#) == true)
        }
    }

    @Test func jobOfAGarbageCollectedCommitHasNullCommit() async throws {
        try await withSimulator { simulator, http in
            var pipeline = SimSeed.Pipeline(
                id: 910, ref: "main", sha: "0123456789abcdef0123456789abcdef01234567", user: "alice",
                jobs: [TestSeeds.manualJob(9910, script: "true")])
            pipeline.commitMissing = true
            try simulator.addPipeline(pipeline, toProject: 100)
            let job = try await http.get("/api/v4/projects/100/jobs/9910", token: "alice-token").json
            #expect(job?["commit"]?.isNull == true)
            #expect(job?["pipeline"]?["sha"]?.stringValue == "0123456789abcdef0123456789abcdef01234567")
        }
    }
}
