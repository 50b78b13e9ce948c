import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// Records written by a real `ciauth verify` that rightly rejected, judged by `ciauth audit verify`
/// against the approvers' keys on the same simulator.
extension VerifyEndToEndTests {
    @Suite("ciauth audit verify: honest rejections recorded by ciauth verify")
    struct AuditVerifyRecordedRejectionTests {
        @Test("approver-not-player is confirmed from the recorded player; policy and environment rejections are taken at their word")
        func honestRejections() async throws {
            let world = try VerifyWorld.current
            // A bot plays alice's approval while the approver must play: the record names the player.
            let botPlayed = try await approvedAndPlayed(world, token: "bot-token")
            let played = try Self.record(world, botPlayed)
            #expect(played.reason == "approver-not-player")
            #expect(played.job?.player == "deploybot" && played.approver == "alice")
            // The repository's policy allows only bob: a stricter policy than the protocol's default.
            let repo = try VerifyGitRepository.make(in: world.directory, policy: "approvers: [bob]\n")
            let pipeline = try await world.pipeline(sha: repo.head, workingDirectory: repo.url.path)
            let notAllowed = try await world.play(pipeline.job.id, approval: try await world.alice.approve(try world.statement(for: pipeline)))
            #expect(try Self.record(world, notAllowed).reason == "approver-not-allowed")
            // The player overrides a predefined variable: verify stops before judging the approval.
            let tampered = try await approvedAndPlayed(world, variables: ["CI_JOB_NAME": "lint"])
            #expect(try Self.record(world, tampered).reason == "environment-tampered")

            let jobs = [botPlayed, notAllowed, tampered]
            let honest = try await Self.auditVerify(world, jobs.map { try Self.record(world, $0) })
            #expect(honest.status == 0, "\(honest.stderr)")
            let checks = try keysDecode([AuditVerifyCheck].self, honest.stdout, member: "records")
            #expect(checks.map(\.result) == [.rejectionConfirmed, .rejectionRecorded, .rejectionRecorded])
            #expect(checks.map(\.reason) == ["approver-not-player", "approver-not-allowed", "environment-tampered"])

            var playerAltered = played
            playerAltered.job?.player = "alice"
            var notAllowedMoved = try Self.record(world, notAllowed)
            notAllowedMoved.job?.jobID = pipeline.job.id + 1
            let altered = try await Self.auditVerify(world, [playerAltered, notAllowedMoved])
            #expect(altered.status == 1)
            let alteredChecks = try keysDecode([AuditVerifyCheck].self, altered.stdout, member: "records")
            #expect(alteredChecks.map(\.reason) == ["record-mismatch", "retried-job"])
            #expect(alteredChecks.map(\.result) == [.failed, .failed])
        }

        static func record(_ world: VerifyWorld, _ job: SimJobState) throws -> ApprovalAuditRecord {
            try ApprovalAuditRecord(jsonLine: try String(contentsOf: world.auditFile(job: job.id), encoding: .utf8)
                .trimmingCharacters(in: .newlines))
        }

        static func auditVerify(_ world: VerifyWorld, _ records: [ApprovalAuditRecord]) async throws -> BuiltBinary.Result {
            let file = world.directory.appendingPathComponent("records-\(UUID().uuidString).jsonl")
            try Data(records.map { $0.jsonLine + "\n" }.joined().utf8).write(to: file)
            let environment = ["HOME": world.directory.path, "XDG_CONFIG_HOME": world.directory.path, "CIAUTH_TOKEN": "",
                               "GITLAB_TOKEN": "", "CI_JOB_TOKEN": "", "CI_SERVER_URL": "", "NO_COLOR": "1"]
            return try await BuiltBinary(name: "ciauth").run(
                ["audit", "verify", "--server", world.sim.baseURL, file.path, "--json"], environment: environment)
        }
    }
}
