import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// Jobs of one pipeline that deploy to different environments: one statement, one touch, and
/// every job's approval names its own environment (docs/protocol.md, version 2).
@Suite("ciauth approve: several environments")
struct ApproveEnvironmentsTests {
    @Test("--all-manual over production and production-eu: one touch, one approval, each job verified with its own environment")
    func oneTouchForSeveralEnvironments() async throws {
        try await ApproveWorld.with(manualJobs: 0) { world in
            try #require(try await world.enroll().status == 0)
            let record = "printf '%s' \"$CIAUTH_APPROVAL\" > \(world.directory.path)/approval-$CI_JOB_ID"
            try world.sim.addPipeline(
                SimSeed.Pipeline(id: 700, ref: "main", sha: ApproveWorld.sha, user: "alice", jobs: [
                    SimSeed.Job(id: 7101, name: "deploy-us", environment: "production", script: record),
                    SimSeed.Job(id: 7102, name: "deploy-eu", environment: "production-eu", script: record),
                ]), toProject: 100)
            let before = world.key.authenticator.signatureCounter
            let url = "\(world.sim.baseURL)/acme/web/-/pipelines/700"
            let result = try await world.ciauth(["approve", url, "--all-manual", "--yes"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(world.key.authenticator.signatureCounter == before + 1, "exactly one assertion")
            #expect(!result.stderr.contains("statements"), "\(result.stderr)")
            var approvals = Set<String>()
            for (id, name, environment) in [(7101, "deploy-us", "production"), (7102, "deploy-eu", "production-eu")] {
                _ = try await world.sim.waitForJob(id: id)
                let approval = try world.recordedApproval(job: id)
                approvals.insert(approval)
                let verdict = try world.verify(approval, job: id, name: name, pipeline: 700, environment: .named(environment))
                #expect(verdict.accepted != nil, "job \(id): \(String(describing: verdict.rejection))")
                let swapped = try world.verify(
                    approval, job: id, name: name, pipeline: 700, environment: .named(environment == "production" ? "production-eu" : "production"))
                #expect(swapped.rejection?.reason == .environmentMismatch, "job \(id) must not pass for the other environment")
            }
            #expect(approvals.count == 1, "one approval for both jobs")
        }
    }
}
