/// What the reader of a failed job should do, per rejection reason.
public struct VerifyRemedyContext: Sendable {
    public var server: String
    public var jobID: Int?
    public var approver: String?
    public var keyFingerprint: String?

    public init(server: String, jobID: Int? = nil, approver: String? = nil, keyFingerprint: String? = nil) {
        self.server = server
        self.jobID = jobID
        self.approver = approver
        self.keyFingerprint = keyFingerprint
    }
}

enum VerifyRemedy {
    static func text(for reason: ApprovalRejection.Reason, context: VerifyRemedyContext) -> String {
        let job = context.jobID.map(String.init) ?? "<job>"
        let approve = "approve this job with `ciauth approve \(job)`"
        switch reason.failureClass {
        case .noApproval:
            return "\(approve), or play it with the approval variable set"
        case .malformed:
            return "the approval variable was damaged or hand-made; \(approve)"
        case .badSignature:
            return "the signature is not a ciauth approval from a security key; \(approve)"
        case .unknownKey:
            return unknownKeyRemedy(reason, context: context)
        case .tampering:
            if reason == .pinMismatch {
                return "the job token or job identity does not match the pipeline definition's pins; do not trust this job"
            }
            return "the approval is for another job; \(approve)"
        case .policy:
            return policyRemedy(reason, approve: approve, job: job)
        case .gitlabUnreachable:
            return "retry the job when GitLab is reachable"
        }
    }

    private static func unknownKeyRemedy(_ reason: ApprovalRejection.Reason, context: VerifyRemedyContext) -> String {
        let owner = context.approver.map { "@\($0)" } ?? "the approver"
        let host = context.server
        switch reason {
        case .keyExpired:
            return "the key on \(owner)'s profile on \(host) has expired; enroll a new key with `ciauth enroll`"
        case .keyNotForSigning:
            return "set the key's usage type to signing (or authentication & signing) on \(owner)'s profile on \(host), or re-enroll with `ciauth enroll`"
        default:
            let key = context.keyFingerprint.map { "key \($0)" } ?? "the signing key"
            return "unknown credential: \(key) is not registered to \(owner) on \(host) — re-enroll with `ciauth enroll`"
        }
    }

    private static func policyRemedy(_ reason: ApprovalRejection.Reason, approve: String, job: String) -> String {
        switch reason {
        case .userPresenceMissing: return "the key was not touched; \(approve) and touch the key"
        case .userVerificationMissing: return "policy requires a PIN; set a PIN on the key and \(approve)"
        case .expired, .tooOld: return "the approval is too old; \(approve) again"
        case .issuedInFuture: return "check the clocks of the approver's machine and the runner; \(approve) again"
        case .keyTooNew: return "the key was registered too recently for the policy; wait, or use an older key"
        case .approverNotAllowed: return "ask an allowed approver to approve job \(job) with `ciauth approve \(job)`"
        case .selfApproval, .selfApprovalUndecidable: return "ask another person to approve this job"
        default: return approve
        }
    }
}
