@testable import CIAuthCore
import Foundation
import FIDO2
import GitLab
import GitLabSim
import Logging
import Testing

/// Each job's environment as GitLab keeps it: a manual job's deployment is `blocked`; a job
/// whose environment action is not `start` has none, so "no deployment" is never signed as "no
/// environment" without the approver saying so; the lookup stays bounded whatever the history.
@Suite("ciauth approve: environments")
struct ApproveEnvironmentTests {
    /// Pipeline 810: job 9811 stops `production` (no deployment), job 9812 starts `review`.
    static func addPipeline(_ world: ApproveWorld) throws {
        let record = "printf '%s' \"$CIAUTH_APPROVAL\" > \(world.directory.path)/approval-$CI_JOB_ID"
        try world.sim.addPipeline(
            SimSeed.Pipeline(id: 810, ref: "main", sha: ApproveWorld.sha, user: "alice", jobs: [
                SimSeed.Job(id: 9811, name: "stop:prod", status: "manual", when: "manual", environment: "production", script: record,
                            environmentAction: "stop"),
                SimSeed.Job(id: 9812, name: "deploy:review", status: "manual", when: "manual", environment: "review", script: record),
            ]), toProject: 100)
    }

    @Test("a job with no deployment (action stop) is refused with --yes, before the touch, until --environment says it")
    func noDeploymentIsNotGuessed() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try Self.addPipeline(world)
            let refused = try await world.ciauth(["approve", "9811", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(refused.status == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains("GitLab shows no deployment for job 9811"), "\(refused.stderr)")
            #expect(refused.stderr.contains("--environment"))
            #expect(world.key.authenticator.signatureCounter == 1, "no touch was asked for")
            #expect(world.sim.job(id: 9811)?.status == "manual")

            let stated = try await world.ciauth(["approve", "9811", "--project", "acme/web", "--yes", "--environment", "production"] + world.serverArguments)
            #expect(stated.status == 0, "\(stated.stderr)")
            _ = try await world.sim.waitForJob(id: 9811)
            let verdict = try world.verify(try world.recordedApproval(job: 9811), job: 9811, name: "stop:prod", pipeline: 810, environment: .named("production"))
            #expect(verdict.accepted != nil, "\(String(describing: verdict.rejection))")
        }
    }

    @Test("--environment that disagrees with the deployment GitLab shows is refused")
    func statedEnvironmentMustAgree() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try Self.addPipeline(world)
            let result = try await world.ciauth(["approve", "9812", "--project", "acme/web", "--yes", "--environment", "production"] + world.serverArguments)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("deploys to review"), "\(result.stderr)")
            let right = try await world.ciauth(["approve", "9812", "--project", "acme/web", "--yes", "--sign-only", "--format", "plain"] + world.serverArguments)
            #expect(right.status == 0, "\(right.stderr)")
            #expect(right.stdout.contains("\nenvironment: 9812 review\n"), "a blocked deployment names the environment: \(right.stdout)")
        }
    }

    @Test("a job of an old pipeline under more than 500 newer deployments: refused within a bounded listing, never guessed")
    func boundedListingRefuses() async throws {
        try await ApproveWorld.with(staleDeployments: 600) { world in
            try #require(try await world.enroll().status == 0)
            world.sim.clearRequests()
            // The oldest stale job: its deployment lies under 599 newer ones (and the seeded ones).
            let result = try await world.ciauth(["approve", "100000000", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("newer than pipeline 100000000"), "\(result.stderr)")
            #expect(world.apiRequests.filter { $0.hasSuffix("/deployments") }.count == ApproveEnvironments.maxPages)
            #expect(world.key.authenticator.signatureCounter == 1, "no touch")
        }
    }

    @Test("50,000 stale deployments: one deploy job costs 3 requests, 50 jobs at most 1.1 per job, plus the constant 4 of the check before the touch")
    func boundedAtScale() async throws {
        try await ApproveWorld.with(manualJobs: 50, staleDeployments: 50_000) { world in
            try #require(try await world.enroll().status == 0)
            world.sim.clearRequests()
            let one = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stderr.contains("environment production"), "\(one.stderr)")
            #expect(world.apiRequests.count <= 3 + 4, "\(world.apiRequests)")
            #expect(world.apiRequests.filter { $0.hasSuffix("/deployments") }.count == 1)
            let verdict = try world.verify(
                try world.recordedApproval(job: try await world.sim.waitForJob(id: 9001).id), job: 9001, name: "deploy:prod", pipeline: 500,
                environment: .named("production"))
            #expect(verdict.accepted != nil, "\(String(describing: verdict.rejection))")

            world.sim.clearRequests()
            let many = try await world.ciauth(["approve", "600", "--project", "acme/web", "--all-manual", "--yes", "--environment", "none"] + world.serverArguments)
            #expect(many.status == 0, "\(many.stderr)")
            let requests = world.apiRequests
            #expect(requests.filter { $0.hasSuffix("/play") }.count == 50)
            #expect(Double(requests.count - 4) / 50 <= 1.1, "\(requests.count) requests")
        }
    }
}

/// The person is asked when GitLab cannot tell a job's environment (no `--yes`).
@Suite("ciauth approve: environment asked, in-process")
struct ApproveEnvironmentAskTests {
    @Test("without --yes, a job without a deployment is marked \"none?\" in the summary and signed as none only on yes")
    func askedNotGuessed() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try ApproveEnvironmentTests.addPipeline(world)
            let gitlab = try GitLabClient(server: try GitLabServer(world.sim.baseURL), credentials: .accessToken(ApproveWorld.token))
            let keys = ApproveSecurityKeys(
                addresses: [DeviceAddress(unixSocketPath: world.socket)], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let notes = ApproveWorkflowTests.Recorder()
            let base = notes.interaction(pin: "")
            let asked = ApproveInteraction(note: base.note, deviceEvents: base.deviceEvents, pin: base.pin, confirm: { _ in true })
            let outcome: ApproveOutcome
            do {
                outcome = try await ApproveWorkflow(gitlab: gitlab, store: CredentialStore(directory: world.keysDirectory), keys: keys, interaction: asked)
                    .run(ApproveRequest(target: "9811", project: "acme/web", output: .signOnlyPlain))
            } catch {
                try? await gitlab.shutdown()
                throw error
            }
            try? await gitlab.shutdown()
            let summary = notes.notes.joined(separator: "\n")
            #expect(summary.contains("9811 stop:prod (stage deploy, environment: none? (see below))"), "\(summary)")
            #expect(summary.contains("GitLab shows no deployment"))
            #expect(outcome.approvals.first?.statement.environments == [ApprovalStatement.Environment.none])
        }
    }
}
