import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// `allow_self_approval: false` decided by the pipeline's creator, read with the read token from
/// a CI/CD variable: the real `ciauth verify` run as a played job of the simulator.
extension VerifyEndToEndTests {
    @Suite("ciauth verify: self-approval")
    struct VerifySelfApprovalTests {
        static let flags = ["--no-allow-self-approval", "--read-token-variable", "READ_TOKEN"]

        @Test("the pipeline's creator approving it fails with self-approval (exit 14)")
        func creatorApprovesOwnPipeline() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline(flags: Self.flags, creator: "alice")
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval, variables: ["READ_TOKEN": "reader-token"])
            #expect(job.status == "failed", "\(job.log)")
            #expect(job.exitCode == 14, "\(job.log)")
            #expect(job.log.contains("error: self-approval: alice started the pipeline"), "\(job.log)")
            #expect(job.log.contains("what to do: ask another person to approve this job"))
            #expect(job.log.contains("created by @alice"))
            #expect(!job.log.contains("reader-token"), "the read token must never be printed")
            let record = try Self.auditRecord(world, job: pipeline.job.id)
            #expect(record.reason == "self-approval")
            #expect(record.job?.pipelineCreator == "alice")
        }

        @Test("another person approving passes, with the creator and approver in the report (policy from .ciauth.yml)")
        func anotherPersonApproves() async throws {
            let world = try VerifyWorld.current
            let repo = try VerifyGitRepository.make(
                in: world.directory, policy: "allow_self_approval: false\nread_token_variable: READ_TOKEN\n")
            let pipeline = try await world.pipeline(sha: repo.head, workingDirectory: repo.url.path, creator: "bob")
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval, variables: ["READ_TOKEN": "reader-token"])
            #expect(job.status == "success", "\(job.log)")
            #expect(job.log.contains("ok  pipeline: \(pipeline.id) read with the read token agrees with the job"))
            #expect(job.log.contains("ok  self-approval: pipeline created by @bob, approved by @alice"))
            #expect(try Self.auditRecord(world, job: pipeline.job.id).job?.pipelineCreator == "bob")
            #expect(world.sim.requests.contains { $0.path == "/api/v4/projects/\(VerifyWorld.projectID)/pipelines/\(pipeline.id)" })
        }

        @Test("the creator cannot pass as someone else by spelling their username in another case (exit 13)")
        func creatorSpellsUsernameInAnotherCase() async throws {
            let world = try VerifyWorld.current
            // A bot plays; alice created the pipeline and signs as "ALICE" (GitLab finds usernames in any case).
            let pipeline = try await world.pipeline(flags: Self.flags + ["--no-approver-must-be-player"], creator: "alice")
            let approval = try await world.alice.approve(try world.statement(for: pipeline, approver: "ALICE"))
            let job = try await world.play(
                pipeline.job.id, token: "bot-token", approval: approval, variables: ["READ_TOKEN": "reader-token"])
            #expect(job.status == "failed", "\(job.log)")
            #expect(job.exitCode == 13, "\(job.log)")
            #expect(job.log.contains("error: unknown-key: key SHA256:"), "\(job.log)")
            #expect(job.log.contains("is registered to alice, not to ALICE"), "\(job.log)")
        }

        @Test("the player's own token in the read token variable reads the same creator: still self-approval (exit 14)")
        func playerSubstitutesTheReadToken() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline(flags: Self.flags, creator: "alice")
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            // A job variable overrides the masked one: alice offers her own token instead of the reader's.
            let job = try await world.play(pipeline.job.id, approval: approval, variables: ["READ_TOKEN": "alice-token"])
            #expect(job.exitCode == 14, "\(job.log)")
            #expect(job.log.contains("error: self-approval: alice started the pipeline"), "\(job.log)")
            #expect(!job.log.contains("alice-token"), "the read token must never be printed")
        }

        @Test("the read token variable named but not set fails closed, naming the variable (exit 14)")
        func tokenVariableMissing() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline(flags: Self.flags)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "failed", "\(job.log)")
            #expect(job.exitCode == 14, "\(job.log)")
            #expect(job.log.contains("error: self-approval-undecidable:"))
            #expect(job.log.contains("the variable READ_TOKEN named by --read-token-variable is not set"))
            #expect(job.log.contains("what to do: store a read_api token in a masked, protected CI/CD variable"))
            #expect(!world.sim.requests.contains { $0.path.hasSuffix("/pipelines/\(pipeline.id)") }, "nothing asked without a token")
        }

        @Test("a read token that may not read the pipeline fails closed, naming the variable (exit 14)")
        func tokenWithoutAccess() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline(flags: Self.flags)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval, variables: ["READ_TOKEN": "outsider-token"])
            #expect(job.status == "failed", "\(job.log)")
            #expect(job.exitCode == 14, "\(job.log)")
            #expect(job.log.contains("error: self-approval-undecidable: self-approval is forbidden, but the token in READ_TOKEN may not read pipeline \(pipeline.id)"))
            #expect(job.log.contains("what to do: put a valid token with the read_api scope"))
            #expect(!job.log.contains("outsider-token"))
        }

        @Test("a read token GitLab refuses fails closed at the approver lookup, naming the variable (exit 14)")
        func refusedToken() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline(flags: Self.flags)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval, variables: ["READ_TOKEN": "no-such-token"])
            #expect(job.exitCode == 14, "\(job.log)")
            #expect(job.log.contains("error: approver-unreadable: \(world.sim.baseURL) refused the token in READ_TOKEN (looking up @alice)"))
            #expect(job.log.contains("what to do: put a valid token with the read_api scope in READ_TOKEN"))
            #expect(!job.log.contains("no-such-token"))
        }

        static func auditRecord(_ world: VerifyWorld, job: Int) throws -> ApprovalAuditRecord {
            try ApprovalAuditRecord(jsonLine: try String(contentsOf: world.auditFile(job: job), encoding: .utf8)
                .trimmingCharacters(in: .newlines))
        }
    }
}
