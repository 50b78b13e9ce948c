/// How `audit verify` judges a recorded rejection (docs/audit.md). A reason the record itself
/// decides (its approval, its job facts, its time, the registry) is derived again and must agree;
/// a reason that depended on the job's policy, pins or environment is taken at the record's word,
/// but only once every check that comes before it in verify's order passes again.
enum AuditVerifyRejection {
    /// Where verify stopped, in the order of its checks (docs/protocol.md section 5, then verify's own).
    enum Stage: Int, Comparable {
        /// Pins, job environment, checkout, GitLab, configuration: nothing about the approval was decided.
        case beforeApproval
        case decoding, signature, userVerification, registry, keyAge, binding, time, age, approver
        /// The approval was accepted under the job's policy; verify's player or group check refused it.
        case afterApproval

        static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The stage of a recorded reason, and the policy that derives it again when the record decides it.
    struct Placement {
        var stage: Stage
        var rederivingPolicy: ApprovalPolicy?
    }

    struct Judgement {
        var result: AuditVerifyCheck.Result
        var reason: String
        var detail: String
    }

    static func judge(_ record: ApprovalAuditRecord, registry: KeyRegistry) -> Judgement {
        let recorded = record.reason ?? "(none)"
        let placement = placement(of: record)
        if placement.stage == .afterApproval { return judgeAfterApproval(record, registry: registry) }
        let verdict = record.reverify(registry: registry, policy: placement.rederivingPolicy ?? .default)
        if case .rejected(let rejection) = verdict {
            if placement.rederivingPolicy != nil, rejection.reason.rawValue == recorded {
                return Judgement(result: .rejectionConfirmed, reason: recorded, detail: rejection.explanation)
            }
            if stage(of: rejection.reason, in: record) < placement.stage {
                return Judgement(result: .failed, reason: rejection.reason.rawValue, detail: rejection.explanation)
            }
        }
        guard placement.rederivingPolicy == nil else {
            let found = verdict.rejection.map { "re-verification finds \($0.reason.rawValue)" } ?? "the approval passes that check"
            return Judgement(result: .failed, reason: "record-mismatch", detail: "the record says \(recorded) but \(found)")
        }
        return takenAtItsWord(recorded, placement.stage)
    }

    /// The record names the approver and key: the approval must verify again with those details.
    private static func judgeAfterApproval(_ record: ApprovalAuditRecord, registry: KeyRegistry) -> Judgement {
        let recorded = record.reason ?? "(none)"
        switch record.reverify(registry: registry) {
        case .rejected(let rejection):
            return Judgement(result: .failed, reason: rejection.reason.rawValue, detail: rejection.explanation)
        case .accepted(let approval):
            if let mismatch = AuditVerify.mismatch(record, approval) {
                return Judgement(result: .failed, reason: "record-mismatch", detail: mismatch)
            }
            guard recorded == ApprovalRejection.Reason.approverNotPlayer.rawValue, let player = record.job?.player else {
                return takenAtItsWord(recorded, .afterApproval)
            }
            guard player != approval.approver else {
                return Judgement(
                    result: .failed, reason: "record-mismatch",
                    detail: "the record says approver-not-player but names @\(player) as both approver and player")
            }
            return Judgement(
                result: .rejectionConfirmed, reason: recorded,
                detail: "@\(approval.approver) approved, @\(player) played the job")
        }
    }

    private static func takenAtItsWord(_ recorded: String, _ stage: Stage) -> Judgement {
        let why = stage == .beforeApproval
            ? "verify stopped before judging the approval"
            : "the approval passes every check before it"
        return Judgement(
            result: .rejectionRecorded, reason: recorded,
            detail: "\(recorded) depended on the job's policy, pins or environment and cannot be re-checked from the record; \(why)")
    }

    /// Where the recorded reason stands, and whether the record's own contents decide it.
    static func placement(of record: ApprovalAuditRecord) -> Placement {
        if record.approver != nil || record.keyFingerprint != nil { return Placement(stage: .afterApproval) }
        guard let name = record.reason, let reason = ApprovalRejection.Reason(rawValue: name) else {
            return Placement(stage: .beforeApproval)
        }
        let stage = stage(of: reason, in: record)
        var policy = ApprovalPolicy.default
        switch reason {
        case .userVerificationMissing, .keyTooNew, .tooOld, .approverNotAllowed, .selfApprovalUndecidable, .pinMismatch:
            return Placement(stage: stage)
        case .approverIDMismatch:
            // Decided by the owner's GitLab id, which an allowed_signers snapshot does not hold.
            return Placement(stage: stage)
        case .environmentMismatch where record.job?.environment == nil:
            return Placement(stage: stage)
        case .selfApproval:
            guard record.job?.pipelineCreator != nil else { return Placement(stage: stage) }
            policy.allowSelfApproval = false
        case .approverNotPlayer:
            guard record.job?.player != nil else { return Placement(stage: stage) }
            policy.approverMustBePlayer = true
        default:
            break
        }
        return Placement(stage: stage, rederivingPolicy: stage == .beforeApproval ? nil : policy)
    }

    /// The verifier's order of checks. A job binding without recorded job facts was never reached
    /// by the verifier: such a reason came from verify's own checks of the job's environment.
    static func stage(of reason: ApprovalRejection.Reason, in record: ApprovalAuditRecord) -> Stage {
        switch reason {
        case .pinMismatch: return .beforeApproval
        case .userPresenceMissing: return .signature
        case .userVerificationMissing: return .userVerification
        case .keyTooNew: return .keyAge
        case .issuedInFuture, .expired: return .time
        case .tooOld: return .age
        case .approverNotAllowed, .selfApproval, .selfApprovalUndecidable, .approverNotPlayer: return .approver
        default: break
        }
        switch reason.failureClass {
        case .noApproval, .malformed: return .decoding
        case .badSignature: return .signature
        case .unknownKey: return .registry
        case .tampering: return record.job == nil ? .beforeApproval : .binding
        case .policy, .gitlabUnreachable: return .approver
        }
    }
}
