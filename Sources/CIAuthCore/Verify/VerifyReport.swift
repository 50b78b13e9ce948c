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

    /// One JSON object for `--json`: result, reason, checks, the audit record and the statement.
    public var json: String {
        var object: [String: Any] = [
            "result": accepted == nil ? "rejected" : "accepted",
            "checks": checks,
        ]
        if let failure {
            object["reason"] = failure.reason
            object["failureClass"] = failure.failureClass?.rawValue ?? "configuration"
            object["explanation"] = failure.explanation
            object["remedy"] = failure.remedy
        }
        if let plainForm { object["approval"] = plainForm }
        if let data = audit.jsonLine.data(using: .utf8), let record = try? JSONSerialization.jsonObject(with: data) {
            object["audit"] = record
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
