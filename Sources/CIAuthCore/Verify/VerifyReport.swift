import Foundation

/// The outcome of `ciauth verify`: the facts checked (one human line each), the accepted
/// approval or the failure, and the audit record written for both.
public struct VerifyReport: Sendable {
    public internal(set) var checks: [String] = []
    public internal(set) var accepted: AcceptedApproval?
    public internal(set) var failure: VerifyFailure?
    public internal(set) var facts: JobFacts?
    public internal(set) var player: String?
    public internal(set) var audit: ApprovalAuditRecord
    /// Set when the audit record or dotenv file could not be written.
    public internal(set) var fileErrors: [String] = []

    init(audit: ApprovalAuditRecord) {
        self.audit = audit
    }

    /// The statement followed by its armored signature, as approved.
    public var plainForm: String? {
        accepted.map { $0.statement.description + $0.signature.armored }
    }

    /// `KEY=value` lines for a dotenv artifact; values are single tokens (no quoting needed).
    public var dotenvLines: [String] {
        guard let accepted, let facts else { return [] }
        var lines = [
            "CIAUTH_RESULT=accepted",
            "CIAUTH_APPROVER=\(accepted.approver)",
            "CIAUTH_KEY_FINGERPRINT=\(accepted.keyFingerprint)",
            "CIAUTH_KEY_TYPE=\(accepted.keyType.rawValue)",
            "CIAUTH_JOB_ID=\(facts.jobID)",
            "CIAUTH_PIPELINE_ID=\(facts.pipelineID)",
            "CIAUTH_COMMIT_SHA=\(facts.commitSHA)",
            "CIAUTH_ISSUED_AT=\(accepted.statement.issuedAt)",
            "CIAUTH_EXPIRES_AT=\(accepted.statement.expiresAt)",
            "CIAUTH_NONCE=\(accepted.statement.nonce.map { String(format: "%02x", $0) }.joined())",
            "CIAUTH_USER_VERIFIED=\(accepted.isUserVerified)",
        ]
        if let id = accepted.gitlabKeyID { lines.insert("CIAUTH_GITLAB_KEY_ID=\(id)", at: 4) }
        return lines
    }

    /// `verify --json` (schema `ciauth.verify/1`): result, reason, checks, the statement, and the
    /// audit record as written to the audit file.
    public var json: String {
        JSONOutput.document(.verify, VerifyJSON(self), verbatim: ["audit": audit.jsonLine])
    }
}

/// The members of `ciauth.verify/1` besides `schema` and `audit`.
struct VerifyJSON: Encodable {
    let result: String
    let checks: [String]
    let reason: String?
    let failureClass: String?
    let explanation: String?
    let remedy: String?
    let approval: String?

    init(_ report: VerifyReport) {
        result = report.accepted == nil ? "rejected" : "accepted"
        checks = report.checks
        reason = report.failure?.reason
        failureClass = report.failure.map { $0.failureClass?.rawValue ?? "configuration" }
        explanation = report.failure?.explanation
        remedy = report.failure?.remedy
        approval = report.plainForm
    }
}
