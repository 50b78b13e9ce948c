import CIAuthTestSupport
import CIAuthCore
import Foundation
import Testing

/// `ciauth audit verify` against an exported allowed_signers snapshot and against live GitLab keys.
@Suite struct AuditVerifyTests {
    @Test func acceptsGoodRecordsAndRejectsAlteredOnes() async throws {
        let alice = SoftwareAuthenticator.p256()
        let simulation = try await KeysSimulation.start(try KeysExportTests.seed(alice: alice))
        defer { Task { await simulation.stop() } }
        let keyID = try #require(try simulation.sim.keys(ofUser: "alice").first { $0.usageType == "signing" && $0.expiresAt != nil && $0.title == "yubikey" }?.id)
        let approval = try await KeysApproval.make(key: alice)
        let good = try approval.auditRecord(key: alice, gitlabKeyID: keyID)
        #expect(good.result == "accepted")
        var otherJob = KeysApproval.facts
        otherJob.jobID = 9002
        otherJob.jobName = "lint"
        let rejected = try approval.auditRecord(key: alice, facts: otherJob)
        #expect(rejected.reason == "job-not-approved")

        let snapshot = try simulation.file("allowed_signers", try await simulation.ciauth(["keys", "export", "--allowed-signers", "--group", "team"]).stdout)
        let goodFile = try simulation.file("good.jsonl", good.jsonLine + "\n" + rejected.jsonLine + "\n")

        let offline = try await simulation.ciauth(["audit", "verify", "--allowed-signers", snapshot, goodFile], token: nil)
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(offline.stdout.hasPrefix("JOB"))
        #expect(offline.stdout.contains("acme/deployer#9001  alice"))
        #expect(offline.stdout.contains("verified") && offline.stdout.contains("rejection-confirmed (job-not-approved)"))

        let live = try await simulation.ciauth(["audit", "verify", goodFile, "--json"])
        #expect(live.status == 0, "\(live.stderr)")
        let liveChecks = try keysDecode([AuditVerifyCheck].self, live.stdout, member: "records")
        try JSONShape.check(live.stdout, .auditVerify)
        #expect(liveChecks.map(\.result) == [.verified, .rejectionConfirmed])

        var otherApprover = good
        otherApprover.approver = "bob"
        var otherCounter = good
        otherCounter.counter = 99
        var flipped = rejected
        flipped.result = "accepted"
        var movedJob = good
        movedJob.job?.jobID = 9002
        var wrongKeyID = good
        wrongKeyID.gitlabKeyID = keyID + 1000
        let altered = [otherApprover, otherCounter, flipped, movedJob].map(\.jsonLine) + ["{not json"]
        let alteredFile = try simulation.file("altered.jsonl", altered.joined(separator: "\n") + "\n")
        let result = try await simulation.ciauth(["audit", "verify", "--allowed-signers", snapshot, alteredFile, "--json"], token: nil)
        #expect(result.status == 1)
        let checks = try keysDecode([AuditVerifyCheck].self, result.stdout, member: "records")
        #expect(checks.map(\.result) == Array(repeating: .failed, count: 5))
        #expect(checks.map(\.reason) == ["record-mismatch", "record-mismatch", "job-not-approved", "retried-job", "record-unreadable"])

        let keyIDFile = try simulation.file("keyid.jsonl", wrongKeyID.jsonLine + "\n")
        let liveKeyID = try await simulation.ciauth(["audit", "verify", keyIDFile, "--json"])
        #expect(liveKeyID.status == 1)
        #expect(try keysDecode([AuditVerifyCheck].self, liveKeyID.stdout, member: "records").first?.reason == "record-mismatch")

        // Once alice's key is deleted, a live re-check no longer vouches for her approvals.
        try simulation.sim.removeKey(id: keyID)
        let afterRevocation = try await simulation.ciauth(["audit", "verify", goodFile, "--json"])
        #expect(afterRevocation.status == 1)
        #expect(try keysDecode([AuditVerifyCheck].self, afterRevocation.stdout, member: "records").first?.reason == "unknown-key")
    }

    @Test("--server resolves each approver's exact username first and keys the registry by GitLab's spelling")
    func serverRegistryResolvesUsernames() async throws {
        let alice = SoftwareAuthenticator.p256()
        let simulation = try await KeysSimulation.start(try KeysExportTests.seed(alice: alice))
        defer { Task { await simulation.stop() } }
        // alice is user id 2: GitLab reads GET /users/2/keys as her keys. A forged record naming
        // approver "2", or "ALICE", signed with her key must not verify as anyone's approval.
        var records: [String] = []
        for approver in ["2", "ALICE"] {
            let approval = try await KeysApproval.make(key: alice, approver: approver)
            let record = try approval.auditRecord(key: alice, approver: approver)
            #expect(record.result == "accepted")
            records.append(record.jsonLine)
        }
        let genuine = try await KeysApproval.make(key: alice)
        records.append(try genuine.auditRecord(key: alice).jsonLine)
        let file = try simulation.file("forged.jsonl", records.joined(separator: "\n") + "\n")
        let result = try await simulation.ciauth(["audit", "verify", file, "--json"], token: nil)
        #expect(result.status == 1, "\(result.stderr)")
        let checks = try keysDecode([AuditVerifyCheck].self, result.stdout, member: "records")
        #expect(checks.map(\.result) == [.failed, .failed, .verified])
        // "2" is no username (GitLab lists no such user); "ALICE" is alice, whose key is not ALICE's.
        #expect(checks.map(\.reason) == ["approver-not-found", "unknown-key", nil])
    }

    @Test("live keys count only for active accounts: a deactivated or hidden approver is refused by name")
    func inactiveApprovers() async throws {
        let alice = SoftwareAuthenticator.p256()
        let simulation = try await KeysSimulation.start(try KeysExportTests.seed(alice: alice))
        defer { Task { await simulation.stop() } }
        let approval = try await KeysApproval.make(key: alice)
        let good = try approval.auditRecord(key: alice)
        // What verify records when it refuses an inactive approver: no approver or key judged.
        var refused = good
        refused.result = "rejected"
        refused.reason = "approver-inactive"
        refused.approver = nil
        refused.keyFingerprint = nil
        let file = try simulation.file("good.jsonl", good.jsonLine + "\n")
        let refusedFile = try simulation.file("refused.jsonl", refused.jsonLine + "\n")
        #expect(try await simulation.ciauth(["audit", "verify", file], token: "carol-token").status == 0)

        try simulation.sim.setUserState(username: "alice", state: .deactivated)
        let deactivated = try await simulation.ciauth(["audit", "verify", file, "--json"], token: "carol-token")
        #expect(deactivated.status == 1)
        let inactive = try #require(try keysDecode([AuditVerifyCheck].self, deactivated.stdout, member: "records").first)
        #expect(inactive.reason == "approver-inactive")
        #expect(inactive.detail?.contains("is deactivated: only active users approve") == true)
        // verify's own refusal of the inactive approver is taken at its word, not failed again.
        let recorded = try await simulation.ciauth(["audit", "verify", refusedFile, "--json"], token: "carol-token")
        #expect(recorded.status == 0, "\(recorded.stdout)")
        #expect(try keysDecode([AuditVerifyCheck].self, recorded.stdout, member: "records").first?.result == .rejectionRecorded)

        try simulation.sim.setUserState(username: "alice", state: .banned)
        let banned = try await simulation.ciauth(["audit", "verify", file, "--json"], token: nil)
        let hidden = try #require(try keysDecode([AuditVerifyCheck].self, banned.stdout, member: "records").first)
        #expect(hidden.reason == "approver-not-found")
        #expect(hidden.detail?.contains("blocked, banned or LDAP-blocked") == true)
    }

    @Test("on an instance that restricts Public visibility, live keys are read with the configured token")
    func restrictedVisibility() async throws {
        let alice = SoftwareAuthenticator.p256()
        var seed = try KeysExportTests.seed(alice: alice)
        seed["settings"] = ["restricted_visibility_levels": ["public"]]
        let simulation = try await KeysSimulation.start(seed)
        defer { Task { await simulation.stop() } }
        let approval = try await KeysApproval.make(key: alice)
        let file = try simulation.file("good.jsonl", try approval.auditRecord(key: alice).jsonLine + "\n")
        let withToken = try await simulation.ciauth(["audit", "verify", file], token: "carol-token")
        #expect(withToken.status == 0, "\(withToken.stderr)")
        let anonymous = try await simulation.ciauth(["audit", "verify", file], token: nil)
        #expect(anonymous.status != 0)
        #expect(anonymous.stderr.contains("does not show users to anonymous visitors"), "\(anonymous.stderr)")
    }
}
