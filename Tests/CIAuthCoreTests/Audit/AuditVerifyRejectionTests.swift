import Foundation
import Testing

@testable import CIAuthCore

/// `audit verify` on recorded rejections: a reason the record decides is derived again and must
/// agree; a policy, pin or environment reason is taken at its word once every earlier check passes.
@Suite("Audit verify of recorded rejections")
struct AuditVerifyRejectionTests {
    /// A genuine approval, and the rejections verify would have recorded for it.
    struct Fixture {
        let record: ApprovalAuditRecord
        let registry: KeyRegistry

        init() async throws {
            let scenario = try Scenario(.p256())
            let value = try await scenario.signed().transportValue
            record = ApprovalAuditRecord(verdict: scenario.verify(value), transport: value, facts: scenario.facts, now: scenario.now)
            registry = scenario.registry
        }

        /// The record turned into the rejection verify would have written for `reason`.
        func rejection(
            _ reason: String, namingApprover: Bool = false, edit: (inout ApprovalAuditRecord) -> Void = { _ in }
        ) -> ApprovalAuditRecord {
            var record = record
            record.result = "rejected"
            record.reason = reason
            record.explanation = "as recorded"
            if !namingApprover {
                (record.approver, record.keyType, record.keyFingerprint, record.gitlabKeyID) = (nil, nil, nil, nil)
                (record.flags, record.counter) = (nil, nil)
            }
            edit(&record)
            return record
        }
    }

    static func moveJob(_ record: inout ApprovalAuditRecord) {
        record.job?.jobID = 5
        record.job?.jobName = "other"
    }

    static func check(_ record: ApprovalAuditRecord, _ registry: KeyRegistry) -> AuditVerifyCheck {
        AuditVerify.check(record, file: "audit.jsonl", line: 1, registry: registry)
    }

    @Test("policy and environment reasons of a genuine approval are taken at their word, not reported as tampering",
          arguments: ["user-verification-missing", "key-too-new", "too-old", "approver-not-allowed", "self-approval-undecidable",
                      "pin-mismatch", "environment-tampered", "checkout-mismatch", "configuration-invalid"])
    func policyReasonIsRecorded(_ reason: String) async throws {
        let fixture = try await Fixture()
        let record = fixture.rejection(reason)
        let check = Self.check(record, fixture.registry)
        #expect(check.result == .rejectionRecorded, "\(check)")
        #expect(check.reason == reason)
        #expect(check.detail?.contains("cannot be re-checked from the record") == true)
    }

    @Test("verify's own checks before the approval: nothing about the approval is re-checked")
    func beforeApproval() async throws {
        let fixture = try await Fixture()
        let registry = fixture.registry
        let noApproval = fixture.rejection("environment-tampered") { $0.approval = nil }
        #expect(Self.check(noApproval, registry).result == .rejectionRecorded)
        // CI_SERVER_URL against the pin: verify's server-mismatch, decided before GitLab was asked for the job.
        let noJob = fixture.rejection("server-mismatch") { $0.job = nil; $0.approval = "garbage" }
        #expect(Self.check(noJob, registry).result == .rejectionRecorded)
    }

    @Test("a reason taken at its word still needs every earlier check to pass again")
    func earlierChecksMustPass() async throws {
        let fixture = try await Fixture()
        let registry = fixture.registry
        let moved = fixture.rejection("approver-not-allowed") { Self.moveJob(&$0) }
        #expect(Self.check(moved, registry).result == .failed)
        #expect(Self.check(moved, registry).reason == "job-not-approved")
        let tooOld = fixture.rejection("too-old")
        #expect(Self.check(tooOld, KeyRegistry(entries: [])).reason == "unknown-key")
        // User verification is judged before the registry: a key unknown now does not contradict it.
        let noUV = fixture.rejection("user-verification-missing")
        #expect(Self.check(noUV, KeyRegistry(entries: [])).result == .rejectionRecorded)
        let forged = fixture.rejection("too-old") { $0.approval = String(($0.approval ?? "").dropLast(4)) + "AAAA" }
        #expect(Self.check(forged, registry).result == .failed)
    }

    @Test("a reason the record decides must be found again")
    func rederivableReasons() async throws {
        let fixture = try await Fixture()
        let registry = fixture.registry
        let moved = fixture.rejection("job-not-approved") { Self.moveJob(&$0) }
        #expect(Self.check(moved, registry).result == .rejectionConfirmed)
        let expired = fixture.rejection("expired")
        let check = Self.check(expired, registry)
        #expect(check.result == .failed && check.reason == "record-mismatch", "\(check)")
        #expect(check.detail == "the record says expired but the approval passes that check")
        let unknown = fixture.rejection("unknown-key")
        #expect(Self.check(unknown, KeyRegistry(entries: [])).result == .rejectionConfirmed)
        #expect(Self.check(unknown, registry).reason == "record-mismatch")
        let otherReason = fixture.rejection("pipeline-mismatch") { Self.moveJob(&$0) }
        #expect(Self.check(otherReason, registry).detail == "the record says pipeline-mismatch but re-verification finds job-not-approved")
    }

    @Test("approver-not-player and self-approval are derived again from the recorded player and pipeline creator")
    func recordedFacts() async throws {
        let fixture = try await Fixture()
        let registry = fixture.registry
        let played = fixture.rejection("approver-not-player", namingApprover: true) { $0.job?.player = "deploybot" }
        #expect(Self.check(played, registry).result == .rejectionConfirmed)
        var sameAsApprover = played
        sameAsApprover.job?.player = "alice"
        #expect(Self.check(sameAsApprover, registry).reason == "record-mismatch")
        var noPlayer = played
        noPlayer.job?.player = nil
        #expect(Self.check(noPlayer, registry).result == .rejectionRecorded)
        var otherCounter = played
        otherCounter.counter = 99
        #expect(Self.check(otherCounter, registry).reason == "record-mismatch")
        #expect(Self.check(played, KeyRegistry(entries: [])).reason == "unknown-key")

        let selfApproved = fixture.rejection("self-approval") { $0.job?.pipelineCreator = "alice" }
        #expect(Self.check(selfApproved, registry).result == .rejectionConfirmed)
        var otherCreator = selfApproved
        otherCreator.job?.pipelineCreator = "bob"
        #expect(Self.check(otherCreator, registry).reason == "record-mismatch")
    }

    @Test("a rejection after the approval verified (groups) must carry details that agree")
    func afterApproval() async throws {
        let fixture = try await Fixture()
        let registry = fixture.registry
        let member = fixture.rejection("approver-not-member", namingApprover: true)
        #expect(Self.check(member, registry).result == .rejectionRecorded)
        var otherApprover = member
        otherApprover.approver = "bob"
        #expect(Self.check(otherApprover, registry).reason == "record-mismatch")
    }
}
