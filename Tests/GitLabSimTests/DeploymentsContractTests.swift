import Foundation
import GitLabSim
import Testing

/// Deployments as GitLab keeps them (gitlab-api.md Corrections and §5): a manual job's deployment
/// is `blocked`, only `action: start` jobs have one, the finder's ordering and filter rules, and
/// a project's stale history at scale.
@Suite struct DeploymentsContractTests {
    static func deployments(_ http: TestHTTP, _ query: String = "") async throws -> [JSONValue] {
        try await http.get("/api/v4/projects/100/deployments\(query)", token: "bob-token").json?.arrayValue ?? []
    }

    @Test func manualIsBlockedCreatedIsCreatedAndPlayedFollowsTheJob() async throws {
        let seed = try TestSeeds.withJobs([
            SimSeed.Job(id: 8101, name: "later", status: "created", when: "on_success", environment: "review", script: "true"),
        ])
        try await withSimulator(seed) { simulator, http in
            let rows = try await Self.deployments(http)
            #expect(rows.first { $0["deployable"]?["id"]?.intValue == 9001 }?["status"]?.stringValue == "blocked")
            #expect(rows.first { $0["deployable"]?["id"]?.intValue == 8101 }?["status"]?.stringValue == "created")
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token").status == 200)
            _ = try await simulator.waitForJob(id: 9001)
            let after = try await Self.deployments(http, "?status=success")
            #expect(after.map { $0["deployable"]?["id"]?.intValue } == [9001])
            #expect(try await Self.deployments(http, "?status=blocked").allSatisfy { $0["deployable"]?["id"]?.intValue != 9001 })
        }
    }

    @Test(arguments: ["stop", "prepare", "verify", "access"])
    func onlyStartJobsHaveADeployment(action: String) async throws {
        var job = TestSeeds.manualJob(8102, script: "true", environment: "production")
        job.environmentAction = action
        try await withSimulator(try TestSeeds.withJobs([job])) { _, http in
            let rows = try await Self.deployments(http)
            #expect(!rows.isEmpty, "the fixture's deploy jobs still have theirs")
            #expect(!rows.contains { $0["deployable"]?["id"]?.intValue == 8102 }, "no deployment for action \(action)")
        }
    }

    @Test func orderingAndTheFindersFilterRules() async throws {
        try await withSimulator { _, http in
            let ascending = try await Self.deployments(http).compactMap { $0["id"]?.intValue }
            #expect(ascending.count >= 2)
            #expect(ascending == ascending.sorted(), "default order is id asc")
            let descending = try await Self.deployments(http, "?order_by=id&sort=desc").compactMap { $0["id"]?.intValue }
            #expect(descending == ascending.reversed())
            #expect(try await Self.deployments(http, "?order_by=created_at&sort=desc").compactMap { $0["id"]?.intValue } == descending)
            let refusals: [(String, String)] = [
                ("?updated_after=2020-01-01T00:00:00Z", "400 Bad request - `updated_at` filter requires `updated_at` sort"),
                ("?finished_after=2020-01-01T00:00:00Z&order_by=finished_at", "400 Bad request - `finished_at` filter must be combined with `success` status filter."),
                ("?finished_after=2020-01-01T00:00:00Z&status=success", "400 Bad request - `finished_at` filter requires `finished_at` sort."),
                ("?order_by=finished_at", "400 Bad request - `finished_at` sort requires `finished_at` filter or a filter with at least one of the finished statuses."),
                ("?updated_after=2020-01-01T00:00:00Z&finished_after=2020-01-01T00:00:00Z&order_by=updated_at",
                 "400 Bad request - Both `updated_at` filter and `finished_at` filter can not be specified"),
            ]
            for (query, message) in refusals {
                let response = try await http.get("/api/v4/projects/100/deployments\(query)", token: "bob-token")
                #expect(response.status == 400, "\(query)")
                #expect(response.message == message, "\(query)")
            }
            #expect(try await http.get("/api/v4/projects/100/deployments?updated_after=2020-01-01T00:00:00Z&order_by=updated_at", token: "bob-token").status == 200)
            #expect(try await http.get("/api/v4/projects/100/deployments?finished_after=2020-01-01T00:00:00Z&order_by=finished_at&status=success", token: "bob-token").status == 200)
            #expect(try await http.get("/api/v4/projects/100/deployments?order_by=nope", token: "bob-token").status == 400)
        }
    }

    @Test func staleDeploymentsAtScaleAreOlderThanEverySeededPipeline() async throws {
        var seed = try Fixtures.seed()
        let index = try #require(seed.projects.firstIndex { $0.id == 100 })
        seed.projects[index].staleDeployments = SimSeed.StaleDeployments(count: 50_000)
        let started = ContinuousClock.now
        try await withSimulator(seed) { _, http in
            #expect(ContinuousClock.now - started < .seconds(20), "a large seed starts quickly")
            let page = try await http.get("/api/v4/projects/100/deployments?order_by=id&sort=desc&per_page=100", token: "bob-token")
            #expect(page.header("x-total") == nil, "GitLab leaves totals out above 10,000 rows")
            let rows = try #require(page.json?.arrayValue)
            #expect(rows.count == 100)
            #expect(rows.prefix(2).compactMap { $0["deployable"]?["id"]?.intValue }.sorted() == [9001, 9002], "the live pipeline's deployments come first")
            let stale = rows[2]
            #expect(stale["status"]?.stringValue == "blocked")
            let live = try #require(rows[0]["created_at"]?.stringValue)
            #expect(try #require(stale["created_at"]?.stringValue) < live, "stale deployments were created before the live pipeline")
        }
    }

    @Test func cancelStopsARunningJobAndRefusesAFinishedOne() async throws {
        try await withSimulator { simulator, http in
            let running = try await RunningJob.start(simulator: simulator, http: http)
            defer { running.release(); running.cleanUp() }
            #expect(try await http.post("/api/v4/projects/100/jobs/\(running.jobId)/cancel", token: "carol-token").status == 403)
            let canceled = try await http.post("/api/v4/projects/100/jobs/\(running.jobId)/cancel", token: "alice-token")
            #expect(canceled.status == 201)
            #expect(canceled.json?["status"]?.stringValue == "canceled")
            #expect(try await simulator.waitForJob(id: running.jobId).status == "canceled", "the killed script does not turn it into failed")
            let again = try await http.post("/api/v4/projects/100/jobs/\(running.jobId)/cancel", token: "alice-token")
            #expect(again.status == 422)
            #expect(again.message == "Unprocessable entity")
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/cancel", token: "alice-token").status == 422, "manual is not cancelable")
        }
    }
}

/// Answers lost after the write, and plays slower than a client waits.
@Suite struct LostAnswerFaultTests {
    @Test func keyStoredThoughTheAnswerIs502() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: SimRoute(method: "POST", path: "/api/v4/user/keys"), fault: .statusAfterEffect(502), count: 1)
            let taken = Set(try ["alice", "bob"].flatMap { try simulator.keys(ofUser: $0).map(\.fingerprintSha256) })
            let free = zip(try Fixtures.publicKeys(), try Fixtures.fingerprints()).first { !$0.0.hasPrefix("ssh-dss") && !taken.contains($0.1) }
            let key = try #require(free?.0)
            let body = #"{"title":"lost","key":"\#(key)","usage_type":"signing"}"#
            let added = try await http.post("/api/v4/user/keys", token: "alice-token", json: body)
            #expect(added.status == 502)
            #expect(added.json == .object([("message", .string("502 Bad Gateway"))]))
            #expect(try simulator.keys(ofUser: "alice").contains { $0.title == "lost" }, "the write happened")
        }
    }

    @Test func aSlowPlayTakesEffectAfterTheDelay() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: FaultTests.playRoute, fault: .delay(milliseconds: 1500), count: 1)
            let play = Task { try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token") }
            try await Task.sleep(for: .milliseconds(500))
            #expect(simulator.job(id: 9001)?.status == "manual", "not yet")
            #expect(try await play.value.status == 200)
            #expect(simulator.job(id: 9001)?.status != "manual", "played late")
        }
    }
}
