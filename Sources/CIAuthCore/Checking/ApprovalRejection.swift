/// Why an approval was refused, with a human explanation and the failure class that selects the
/// exit status. It is also the single error type the approval protocol throws: malformed input
/// (a statement, a transport value) throws it, a signature that does not verify returns it inside
/// an `ApprovalVerdict`.
public struct ApprovalRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: Reason
    public let explanation: String

    public init(_ reason: Reason, _ explanation: String) {
        self.reason = reason
        self.explanation = explanation
    }

    public var failureClass: ApprovalFailureClass { reason.failureClass }

    public var description: String { "\(reason.rawValue): \(explanation)" }
}

/// Broad kinds of failure; each maps to one documented exit status of `ciauth verify`.
public enum ApprovalFailureClass: String, Sendable, CaseIterable {
    /// No approval was supplied at all.
    case noApproval = "no-approval"
    /// The approval value or its statement or signature does not follow the format.
    case malformed
    /// The signature is well formed but does not verify, or is of an unsupported kind.
    case badSignature = "bad-signature"
    /// The signing key is not a usable registered key of the approver.
    case unknownKey = "unknown-key"
    /// The approval is genuine but the policy refuses it (presence, verification, time, approver).
    case policy
    /// The approval is genuine but is for another job, pipeline, project or server.
    case tampering
    /// GitLab could not be asked for the job's truth (produced by the caller, not by the verifier).
    case gitlabUnreachable = "gitlab-unreachable"
}

extension ApprovalRejection {
    /// Every named reason. The raw values are stable: they appear in audit records and JSON output.
    public enum Reason: String, Sendable, CaseIterable {
        // Transport value (the CI variable).
        case missingApproval = "missing-approval"
        case transportOversize = "transport-oversize"
        case transportBadPrefix = "transport-bad-prefix"
        case transportBadStructure = "transport-bad-structure"
        case transportBadBase64 = "transport-bad-base64"
        // Plain form (statement followed by an armored signature).
        case plainFormMalformed = "plain-form-malformed"

        // Statement bytes.
        case statementOversize = "statement-oversize"
        case statementControlCharacter = "statement-control-character"
        case statementNotUTF8 = "statement-not-utf8"
        case statementMissingFinalNewline = "statement-missing-final-newline"
        case statementUnknownVersion = "statement-unknown-version"
        case statementRetiredVersion = "statement-retired-version"
        case statementMalformedLine = "statement-malformed-line"
        case statementUnknownField = "statement-unknown-field"
        case statementDuplicateField = "statement-duplicate-field"
        case statementMissingField = "statement-missing-field"
        case statementFieldOutOfOrder = "statement-field-out-of-order"
        case statementTrailingData = "statement-trailing-data"
        // Statement field values (raised by parsing and by building a statement).
        case valueTooLong = "value-too-long"
        case valueEmpty = "value-empty"
        case valueCharacters = "value-characters"
        case valueReserved = "value-reserved"
        case invalidNumber = "invalid-number"
        case invalidServerURL = "invalid-server-url"
        case invalidProjectPath = "invalid-project-path"
        case invalidJob = "invalid-job"
        case invalidEnvironment = "invalid-environment"
        case jobsNotAscending = "jobs-not-ascending"
        case tooManyJobs = "too-many-jobs"
        case invalidRef = "invalid-ref"
        case invalidCommit = "invalid-commit"
        case invalidUsername = "invalid-username"
        case invalidTimestamp = "invalid-timestamp"
        case invalidValidityPeriod = "invalid-validity-period"
        case invalidNonce = "invalid-nonce"

        // Signature.
        case signatureMalformed = "signature-malformed"
        case wrongNamespace = "wrong-namespace"
        case unsupportedHashAlgorithm = "unsupported-hash-algorithm"
        case notSecurityKey = "not-security-key"
        case signatureInvalid = "signature-invalid"
        case userPresenceMissing = "user-presence-missing"
        case userVerificationMissing = "user-verification-missing"

        // Key registry.
        case unknownKey = "unknown-key"
        case approverIDMismatch = "approver-id-mismatch"
        case keyExpired = "key-expired"
        case keyNotYetValid = "key-not-yet-valid"
        case keyNotForSigning = "key-not-for-signing"
        case keyTooNew = "key-too-new"

        // Statement against the job's truth from GitLab.
        case serverMismatch = "server-mismatch"
        case projectMismatch = "project-mismatch"
        case pipelineMismatch = "pipeline-mismatch"
        case retriedJob = "retried-job"
        case jobNotApproved = "job-not-approved"
        case jobNameMismatch = "job-name-mismatch"
        case refMismatch = "ref-mismatch"
        case commitMismatch = "commit-mismatch"
        case environmentMismatch = "environment-mismatch"
        // The job's truth against expectations pinned in the pipeline definition.
        case pinMismatch = "pin-mismatch"

        // Time window and policy.
        case issuedInFuture = "issued-in-future"
        case expired
        case tooOld = "too-old"
        case approverNotAllowed = "approver-not-allowed"
        case selfApproval = "self-approval"
        case selfApprovalUndecidable = "self-approval-undecidable"
        case approverNotPlayer = "approver-not-player"

        public var failureClass: ApprovalFailureClass {
            switch self {
            case .missingApproval:
                return .noApproval
            case .transportOversize, .transportBadPrefix, .transportBadStructure, .transportBadBase64,
                .plainFormMalformed, .statementOversize, .statementControlCharacter, .statementNotUTF8,
                .statementMissingFinalNewline, .statementUnknownVersion, .statementRetiredVersion, .statementMalformedLine,
                .statementUnknownField, .statementDuplicateField, .statementMissingField,
                .statementFieldOutOfOrder, .statementTrailingData, .valueTooLong, .valueEmpty,
                .valueCharacters, .valueReserved, .invalidNumber, .invalidServerURL, .invalidProjectPath,
                .invalidJob, .invalidEnvironment, .jobsNotAscending, .tooManyJobs, .invalidRef, .invalidCommit, .invalidUsername,
                .invalidTimestamp, .invalidValidityPeriod, .invalidNonce, .signatureMalformed:
                return .malformed
            case .wrongNamespace, .unsupportedHashAlgorithm, .notSecurityKey, .signatureInvalid:
                return .badSignature
            case .unknownKey, .approverIDMismatch, .keyExpired, .keyNotYetValid, .keyNotForSigning:
                return .unknownKey
            case .serverMismatch, .projectMismatch, .pipelineMismatch, .retriedJob, .jobNotApproved,
                .jobNameMismatch, .refMismatch, .commitMismatch, .environmentMismatch, .pinMismatch:
                return .tampering
            case .userPresenceMissing, .userVerificationMissing, .keyTooNew, .issuedInFuture, .expired,
                .tooOld, .approverNotAllowed, .selfApproval, .selfApprovalUndecidable, .approverNotPlayer:
                return .policy
            }
        }
    }
}
