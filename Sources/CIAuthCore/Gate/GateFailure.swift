/// Why `ciauth gate` refused: a named reason, its class (which selects the exit status) and an
/// explanation. Rejections of the approval keep the verifier's reasons (`ApprovalRejection`);
/// the gate adds its own for the ID token, the claims against its policy, and the pass store.
public struct GateFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    public let failureClass: GateFailureClass
    public let explanation: String

    public init(_ reason: Reason, _ explanation: String) {
        self.reason = reason.rawValue
        self.failureClass = reason.failureClass
        self.explanation = explanation
    }

    public init(_ rejection: ApprovalRejection) {
        reason = rejection.reason.rawValue
        failureClass = GateFailureClass(rejection.failureClass)
        explanation = rejection.explanation
    }

    public var description: String { "\(reason): \(explanation)" }

    public enum Reason: String, Sendable, CaseIterable {
        // Input.
        case tokenMissing = "token-missing"
        case tokenOversize = "token-oversize"
        case approvalOversize = "approval-oversize"
        // The ID token itself.
        case tokenMalformed = "token-malformed"
        case tokenAlgorithm = "token-algorithm"
        case tokenKeyReference = "token-key-reference"
        case tokenKeyUnknown = "token-key-unknown"
        case tokenSignatureInvalid = "token-signature-invalid"
        case tokenIssuerMismatch = "token-issuer-mismatch"
        case tokenAudienceMismatch = "token-audience-mismatch"
        case tokenExpired = "token-expired"
        case tokenNotYetValid = "token-not-yet-valid"
        case tokenLifetimeTooLong = "token-lifetime-too-long"
        case tokenClaimInvalid = "token-claim-invalid"
        // The claims against the gate's policy.
        case projectNotAllowed = "project-not-allowed"
        case forkProjectRefused = "fork-project-refused"
        case refNotProtected = "ref-not-protected"
        case environmentNotAllowed = "environment-not-allowed"
        case environmentNotProtected = "environment-not-protected"
        case pipelineDefinitionNotAllowed = "pipeline-definition-not-allowed"
        case pipelineSourceNotAllowed = "pipeline-source-not-allowed"
        case approverNotPlayer = "approver-not-player"
        case approverInactive = "approver-inactive"
        case approverNotFound = "approver-not-found"
        case approverNotMember = "approver-not-member"
        case selfApprovalUndecidable = "self-approval-undecidable"
        case pipelineReadMismatch = "pipeline-read-mismatch"
        case readTokenRefused = "read-token-refused"
        // Use and availability.
        case alreadyPassed = "already-passed"
        case passStoreFailed = "pass-store-failed"
        case keysUnreachable = "keys-unreachable"
        case gitlabUnreachable = "gitlab-unreachable"
        case configurationInvalid = "configuration-invalid"

        public var failureClass: GateFailureClass {
            switch self {
            case .tokenMissing, .tokenOversize, .tokenMalformed, .tokenAlgorithm, .tokenKeyReference, .tokenKeyUnknown,
                .tokenSignatureInvalid, .tokenIssuerMismatch, .tokenAudienceMismatch, .tokenExpired, .tokenNotYetValid,
                .tokenLifetimeTooLong, .tokenClaimInvalid:
                return .idToken
            case .approvalOversize: return .malformed
            case .projectNotAllowed, .forkProjectRefused, .pipelineReadMismatch: return .tampering
            case .refNotProtected, .environmentNotAllowed, .environmentNotProtected, .pipelineDefinitionNotAllowed,
                .pipelineSourceNotAllowed, .approverNotPlayer, .approverInactive, .approverNotMember, .selfApprovalUndecidable,
                .readTokenRefused:
                return .policy
            case .approverNotFound: return .unknownKey
            case .alreadyPassed: return .alreadyPassed
            case .passStoreFailed: return .store
            case .keysUnreachable, .gitlabUnreachable: return .gitlabUnreachable
            case .configurationInvalid: return .configuration
            }
        }
    }
}

/// Kinds of refusal; each selects one documented exit status of `ciauth gate`.
public enum GateFailureClass: String, Sendable, CaseIterable {
    case noApproval = "no-approval"
    case malformed
    case badSignature = "bad-signature"
    case unknownKey = "unknown-key"
    case policy
    case tampering
    case gitlabUnreachable = "gitlab-unreachable"
    /// The ID token is missing, malformed, not signed by the pinned server, or not for this gate now.
    case idToken = "id-token"
    /// The job already passed this gate as often as the policy allows.
    case alreadyPassed = "already-passed"
    /// The pass store could not record the pass: nothing runs.
    case store
    case configuration

    init(_ approval: ApprovalFailureClass) {
        switch approval {
        case .noApproval: self = .noApproval
        case .malformed: self = .malformed
        case .badSignature: self = .badSignature
        case .unknownKey: self = .unknownKey
        case .policy: self = .policy
        case .tampering: self = .tampering
        case .gitlabUnreachable: self = .gitlabUnreachable
        }
    }
}
