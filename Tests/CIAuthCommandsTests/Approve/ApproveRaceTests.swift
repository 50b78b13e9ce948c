import CIAuthCore
import Foundation
import GitLab
import GitLabSim
import Testing

/// Two people (or a person and a bot) on one manual job: whoever is second is told the truth,
/// the job never runs twice on their account, and a retry copy their play caused is cancelled.
@Suite("ciauth approve: racing approvers")
struct ApproveRaceTests {
    static let jobID = 9801

    /// Pipeline 800 with one manual deploy job. Its first run marks the directory; any later run
    /// (a retry copy) then sleeps, so that cancelling it can be observed.
    static func addRaceJob(_ world: ApproveWorld) throws {
        let mark = world.directory.appendingPathComponent("first-done").path
        let script = "printf '%s' \"$CIAUTH_APPROVAL\" > \(world.directory.path)/approval-$CI_JOB_ID; "
            + "if [ -e \(mark) ]; then sleep 20; fi; touch \(mark)"
        let job = SimSeed.Job(id: jobID, name: "deploy:race", status: "manual", when: "manual", environment: "production", script: script)
        try world.sim.addPipeline(
            SimSeed.Pipeline(id: 800, ref: "main", sha: ApproveWorld.sha, user: "alice", jobs: [job]), toProject: 100)
    }

    /// Bob plays the job with his own token through the REST client, by project path.
    static func bobPlays(_ world: ApproveWorld) async throws {
        let bob = try GitLabClient(server: try GitLabServer(world.sim.baseURL), credentials: .accessToken("bob-token"))
        defer { Task { try? await bob.shutdown() } }
        let outcome = try await bob.play(job: jobID, in: .path("acme/web"))
        #expect(outcome.isPlayedByUs)
    }

    static func waitForRequest(_ world: ApproveWorld, _ line: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !world.apiRequests.contains(line) {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    static func onlyJob(_ json: [String: Any]) throws -> [String: Any] {
        let jobs = try #require(json["jobs"] as? [[String: Any]])
        try #require(jobs.count == 1)
        return jobs[0]
    }

    @Test("a bot plays the job between the read and the touch: not played again, told who played it, exit 16")
    func botPlaysBeforeTheTouch() async throws {
        try await ApproveWorld.with(touch: .after(.seconds(3))) { world in
            try #require(try await world.enroll().status == 0)
            try Self.addRaceJob(world)
            world.sim.clearRequests()
            async let approved = world.ciauth(["approve", String(Self.jobID), "--project", "acme/web", "--yes", "--json"] + world.serverArguments)
            // The first read (the newest deployments hold the job) is done; the touch takes 3 s.
            try await Self.waitForRequest(world, "GET /api/v4/projects/acme%2Fweb/deployments")
            try await Self.bobPlays(world)
            let result = try await approved
            #expect(result.status == 16, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let job = try Self.onlyJob(json)
            #expect(job["result"] as? String == "already-played")
            #expect(job["player"] as? String == "bob")
            #expect(result.stderr.contains("already played by @bob"), "\(result.stderr)")
            let plays = world.apiRequests.filter { $0.hasSuffix("/jobs/\(Self.jobID)/play") }
            #expect(plays == ["POST /api/v4/projects/acme%2Fweb/jobs/\(Self.jobID)/play"], "only bob's play: \(plays)")
            #expect(!world.sim.jobs().contains { $0.retriedFromId == Self.jobID }, "no second run")
        }
    }

    @Test("two approvers race and the other wins after the re-read: the retry copy GitLab starts is cancelled and both facts reported")
    func secondApproverLosesAtThePlay() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try Self.addRaceJob(world)
            // Hold alice's play (by id) for 6 s inside the server, so bob's play (by path) lands first.
            try world.sim.setFault(
                route: SimRoute(method: "POST", path: "/api/v4/projects/100/jobs/\(Self.jobID)/play"), fault: .delay(milliseconds: 6000), count: 1)
            world.sim.clearRequests()
            async let approved = world.ciauth(["approve", String(Self.jobID), "--project", "acme/web", "--yes", "--json"] + world.serverArguments)
            try await Self.waitForRequest(world, "GET /api/v4/projects/100/jobs/\(Self.jobID)")
            try await Self.bobPlays(world)
            let first = try await world.sim.waitForJob(id: Self.jobID)
            #expect(first.username == "bob")
            let result = try await approved
            #expect(result.status == 16, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let job = try Self.onlyJob(json)
            #expect(job["result"] as? String == "already-played", "\(job)")
            #expect(job["player"] as? String == "bob")
            let copy = try #require(world.sim.jobs().first { $0.retriedFromId == Self.jobID })
            #expect(job["retry_job_id"] as? Int == copy.id)
            #expect(job["retry_job_status"] as? String == "canceled")
            #expect(result.stderr.contains("cancelled it"), "\(result.stderr)")
            #expect(try await world.sim.waitForJob(id: copy.id).status == "canceled")
            #expect(copy.variables == first.variables, "GitLab's copy carries bob's variables, not alice's approval")
            #expect(!result.stdout.contains("\"played\""))
        }
    }

    @Test("the other approver wins and the late play's answer is lost: reported played-by-another, and its retry copy is still cancelled")
    func lostAnswerOfALatePlay() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try Self.addRaceJob(world)
            var late = SimFault.dropAfterEffect
            late.latencyMs = 6000
            try world.sim.setFault(route: SimRoute(method: "POST", path: "/api/v4/projects/100/jobs/\(Self.jobID)/play"), fault: late, count: 1)
            world.sim.clearRequests()
            async let approved = world.ciauth(["approve", String(Self.jobID), "--project", "acme/web", "--yes", "--json"] + world.serverArguments)
            try await Self.waitForRequest(world, "GET /api/v4/projects/100/jobs/\(Self.jobID)")
            try await Self.bobPlays(world)
            _ = try await world.sim.waitForJob(id: Self.jobID)
            let result = try await approved
            #expect(result.status == 16, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let job = try Self.onlyJob(json)
            #expect(job["result"] as? String == "played-by-another", "\(job)")
            let copy = try #require(world.sim.jobs().first { $0.retriedFromId == Self.jobID })
            #expect(copy.username == "alice")
            #expect(job["retry_job_id"] as? Int == copy.id)
            #expect(try await world.sim.waitForJob(id: copy.id).status == "canceled")
        }
    }
}
