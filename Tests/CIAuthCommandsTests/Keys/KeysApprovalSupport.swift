import CIAuthTestSupport
import CIAuthCore
import Foundation
import SSHSig

/// A real approval made with a software key, and the audit record `ciauth verify` would write.
struct KeysApproval {
    static let facts = JobFacts(
        server: "https://gitlab.example.com", projectID: 100, projectPath: "acme/deployer", pipelineID: 500, jobID: 9001,
        jobName: "deploy:prod", ref: "main", commitSHA: "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c", environment: .named("production"))

    let signed: SignedApproval
    let now: Date

    static func make(key: SoftwareAuthenticator, approver: String = "alice", now: Date = Date()) async throws -> KeysApproval {
        let statement = try ApprovalStatement.issue(
            server: facts.server, projectID: facts.projectID, projectPath: facts.projectPath, pipelineID: facts.pipelineID,
            jobs: [.init(id: facts.jobID, name: facts.jobName, environment: .named("production"))], ref: facts.ref, commitSHA: facts.commitSHA,
            approver: approver, approverID: approver == "alice" ? 2 : 3, now: now.addingTimeInterval(-60))
        return KeysApproval(signed: try await key.signer.sign(statement), now: now)
    }

    /// The record of verifying this approval for `facts` with `key` registered to `approver`.
    func auditRecord(key: SoftwareAuthenticator, approver: String = "alice", gitlabKeyID: Int? = nil, facts: JobFacts = facts) throws -> ApprovalAuditRecord {
        let registry = KeyRegistry(entries: [KeyRegistry.Entry(principal: approver, publicKey: try key.publicKey, gitlabKeyID: gitlabKeyID)])
        let verdict = ApprovalVerifier(registry: registry).verify(transport: signed.transportValue, facts: facts, now: now)
        return ApprovalAuditRecord(verdict: verdict, transport: signed.transportValue, facts: facts, now: now)
    }
}
