import CIAuthCore
import FIDO2
import Foundation
import GitLab
import GitLabSim
import Logging
import Testing

/// Plays GitLab refuses, and plays whose answer never comes: each is named for what it is.
@Suite("ciauth approve: refusals and slow plays")
struct ApproveRefusalTests {
    @Test("a 403 from a protected branch is not called \"variables not allowed\", and every job is tried on its own")
    func forbiddenIsToldApart() async throws {
        // Bob plays alice's approval: the committed policy lets another user play.
        try await ApproveWorld.with(protectedRefs: ["release"], policy: "approver_must_be_player: false\n") { world in
            try #require(try await world.enroll().status == 0)
            let jobs = [9821, 9822].map {
                SimSeed.Job(id: $0, name: "deploy-\($0)", status: "manual", when: "manual", environment: "production", script: "true")
            }
            try world.sim.addPipeline(SimSeed.Pipeline(id: 820, ref: "release", sha: ApproveWorld.sha, user: "alice", jobs: jobs), toProject: 100)
            world.sim.clearRequests()
            let result = try await world.ciauth(
                ["approve", "820", "--project", "acme/web", "--all-manual", "--yes", "--json"] + world.serverArguments, token: "bob-token")
            #expect(result.status == 16, "\(result.stderr)")
            let plays = world.apiRequests.filter { $0.hasSuffix("/play") }
            #expect(plays.count == 2, "each job judged on its own: \(plays)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let results = try #require(json["jobs"] as? [[String: Any]])
            #expect(results.map { $0["error_code"] as? String } == ["play-forbidden", "play-forbidden"], "\(results)")
            #expect(result.stderr.contains("protected branch"), "\(result.stderr)")
            #expect(!result.stderr.contains("for the same reason"))
            #expect(world.sim.job(id: 9821)?.status == "manual")
        }
    }

    @Test("a play slower than the client's timeout is unknown, with the URL to check, never not-played")
    func slowPlayIsUnknown() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try world.sim.setFault(
                route: SimRoute(method: "POST", path: "/api/v4/projects/*/jobs/9001/play"), fault: .delay(milliseconds: 9000), count: 1)
            var options = GitLabClientOptions()
            // Long enough for reads on a busy machine, far shorter than the play's 9 s; the
            // read-backs after the timeout end well before GitLab plays the job.
            options.requestTimeout = .seconds(3)
            options.retry = RetryPolicy(maxRetries: 4, baseDelay: .milliseconds(100), maxDelay: .milliseconds(200))
            let gitlab = try GitLabClient(server: try GitLabServer(world.sim.baseURL), credentials: .accessToken(ApproveWorld.token), options: options)
            let keys = ApproveSecurityKeys(
                addresses: [DeviceAddress(unixSocketPath: world.socket)], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let recorder = ApproveWorkflowTests.Recorder()
            let outcome: ApproveOutcome
            do {
                outcome = try await ApproveWorkflow(
                    gitlab: gitlab, store: CredentialStore(directory: world.keysDirectory), keys: keys, interaction: recorder.interaction(pin: "")
                ).run(ApproveRequest(target: "9001", project: "acme/web", assumeYes: true))
            } catch {
                try? await gitlab.shutdown()
                throw error
            }
            try? await gitlab.shutdown()
            let job = try #require(outcome.jobs.first)
            #expect(job.result == .unknown, "\(job)")
            #expect(job.error?.contains(job.webURL) == true, "\(job.error ?? "")")
            #expect(outcome.failure != nil)
            #expect(try await world.sim.waitForJob(id: 9001).status == "success", "GitLab played it after all")
        }
    }
}
