import Foundation
import GitLab
import Logging

/// Everything `ciauth gate` was given: its policy, the ID token and the approval as received
/// (already size-capped by the reader), the instant time rules are judged at, and how to reach
/// the pinned server. Nothing here comes from the job's variables.
public struct GateRequest: Sendable {
    public var policy: GatePolicy
    public var idToken: String
    public var approval: String
    /// The instant `exp`, `nbf`, `iat` and the approval's window are judged at (`--at`).
    public var now: Date
    /// The real clock: the key cache's age and the pass's time.
    public var clock: @Sendable () -> Date
    public var clientOptions: GitLabClientOptions
    public var logger: Logger

    public init(
        policy: GatePolicy, idToken: String, approval: String, now: Date, clock: @escaping @Sendable () -> Date = { Date() },
        clientOptions: GitLabClientOptions = GitLabClientOptions(), logger: Logger = Logger(label: "ciauth.gate")
    ) {
        self.policy = policy
        self.idToken = idToken
        self.approval = approval
        self.now = now
        self.clock = clock
        self.clientOptions = clientOptions
        self.logger = logger
    }
}

/// The outcome of one gate decision: the checks passed (one line each), the verified claims and
/// approval, or the failure; and the audit record written for both.
public struct GateReport: Sendable {
    public internal(set) var checks: [String] = []
    public internal(set) var claims: GateClaims?
    public internal(set) var facts: JobFacts?
    public internal(set) var accepted: AcceptedApproval?
    public internal(set) var pass: Int?
    public internal(set) var failure: GateFailure?
    public internal(set) var audit: ApprovalAuditRecord
    public internal(set) var fileErrors: [String] = []

    init(audit: ApprovalAuditRecord) {
        self.audit = audit
    }

    public var isAccepted: Bool { failure == nil && accepted != nil && pass != nil }

    /// The verified facts for the protected command, as `CIAUTH_*` variables.
    public var environment: [String: String] {
        guard isAccepted, let accepted, let claims, let facts else { return [:] }
        var variables = [
            "CIAUTH_RESULT": "accepted",
            "CIAUTH_APPROVER": accepted.approver,
            "CIAUTH_APPROVER_ID": String(accepted.statement.approverID),
            "CIAUTH_KEY_FINGERPRINT": accepted.keyFingerprint,
            "CIAUTH_KEY_TYPE": accepted.keyType.rawValue,
            "CIAUTH_SERVER": facts.server,
            "CIAUTH_PROJECT_ID": String(facts.projectID),
            "CIAUTH_PROJECT_PATH": facts.projectPath,
            "CIAUTH_PIPELINE_ID": String(facts.pipelineID),
            "CIAUTH_JOB_ID": String(facts.jobID),
            "CIAUTH_REF": facts.ref,
            "CIAUTH_COMMIT_SHA": facts.commitSHA,
            "CIAUTH_ENVIRONMENT": claims.environment ?? "",
            "CIAUTH_PLAYER": claims.userLogin,
            "CIAUTH_ISSUED_AT": accepted.statement.issuedAt.description,
            "CIAUTH_EXPIRES_AT": accepted.statement.expiresAt.description,
            "CIAUTH_NONCE": accepted.statement.nonce.map { String(format: "%02x", $0) }.joined(),
            "CIAUTH_USER_VERIFIED": String(accepted.isUserVerified),
            "CIAUTH_PASS": pass.map(String.init) ?? "",
        ]
        if let id = accepted.gitlabKeyID { variables["CIAUTH_GITLAB_KEY_ID"] = String(id) }
        return variables
    }

    /// `gate check --json` (schema `ciauth.gate.check/1`), with the audit record as it is logged.
    public var json: String {
        JSONOutput.document(.gateCheck, GateCheckJSON(self), verbatim: ["audit": audit.jsonLine])
    }
}

/// The members of `ciauth.gate.check/1` besides `schema` and `audit`.
struct GateCheckJSON: Encodable {
    let result: String
    let checks: [String]
    let reason: String?
    let failureClass: String?
    let explanation: String?
    /// The variables the protected command receives (accepted decisions only).
    let environment: [String: String]?

    init(_ report: GateReport) {
        result = report.isAccepted ? "accepted" : "rejected"
        checks = report.checks
        reason = report.failure?.reason
        failureClass = report.failure?.failureClass.rawValue
        explanation = report.failure?.explanation
        environment = report.isAccepted ? report.environment : nil
    }
}

extension GateReport {
    /// A refusal before any check ran (unreadable policy, input too large); still audited when
    /// the policy names an audit log.
    public static func refused(_ error: any Error, policy: GatePolicy? = nil) -> GateReport {
        let failure = error as? GateFailure ?? GateFailure(.configurationInvalid, String(describing: error))
        var audit = ApprovalAuditRecord(
            verdict: .rejected(ApprovalRejection(.missingApproval, "")), transport: "", facts: nil, now: Date())
        audit.reason = failure.reason
        audit.failureClass = failure.failureClass.rawValue
        audit.explanation = failure.explanation
        var report = GateReport(audit: audit)
        report.failure = failure
        if let policy {
            report.audit.gate = GateAuditFacts(name: policy.gateName, audience: policy.audience, issuer: policy.issuer, claims: [:], pass: nil)
            if let path = policy.auditLogPath, let problem = GateAuditLog.append(report.audit, to: path) {
                report.fileErrors.append(problem)
            }
        }
        return report
    }
}
