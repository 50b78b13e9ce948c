import Foundation
import SSHSig
import Testing

@testable import CIAuthCore

@Suite("Audit records")
struct AuditRecordTests {
    @Test("an accepted verification's record survives JSON and re-verifies offline; an altered one does not")
    func reverify() async throws {
        let scenario = try Scenario(.ed25519())
        let value = try await scenario.signed().transportValue
        let verdict = scenario.verify(value)
        let record = ApprovalAuditRecord(verdict: verdict, transport: value, facts: scenario.facts, now: scenario.now)
        #expect(record.result == "accepted")
        #expect(record.keyFingerprint == (try scenario.authenticator.publicKey.fingerprint))
        #expect(record.gitlabKeyID == 17)
        #expect(record.flags == 1 && record.counter == 41)
        #expect(!record.jsonLine.contains("\n"))

        let decoded = try ApprovalAuditRecord(jsonLine: record.jsonLine)
        #expect(decoded == record)
        let snapshot = KeyRegistry(allowedSigners: try AllowedSigners(parsing: "alice " + (try scenario.authenticator.publicKey.authorizedKeysLine()) + "\n"))
        #expect(decoded.reverify(registry: snapshot).accepted != nil)

        var otherJob = decoded
        otherJob.job?.jobID = 5
        otherJob.job?.jobName = "other"
        expectRejected(otherJob.reverify(registry: snapshot), .jobNotApproved)
        expectRejected(decoded.reverify(registry: KeyRegistry(entries: [])), .unknownKey)
    }

    @Test("a rejection is recorded with its reason and class")
    func rejected() throws {
        let record = ApprovalAuditRecord(
            verdict: .rejected(ApprovalRejection(.expired, "the approval expired")), transport: "", facts: Sample.facts(),
            now: Sample.issuedAt.date)
        #expect(record.result == "rejected")
        #expect(record.reason == "expired" && record.failureClass == "policy")
        #expect(record.approval == nil)
        #expect(record.verifiedAt == "2026-11-28T21:00:00Z")
        #expect(record.job?.environment == "production")
        expectRejected(record.reverify(registry: KeyRegistry(entries: [])), .missingApproval)
    }
}
