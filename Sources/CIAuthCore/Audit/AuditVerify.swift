import Foundation
import GitLab

/// The outcome of re-checking one audit record.
public struct AuditVerifyCheck: Codable, Hashable, Sendable {
    public enum Result: String, Codable, Hashable, Sendable {
        /// The recorded acceptance verifies again and every recorded detail agrees.
        case verified
        /// The record says rejected for a reason the record decides, and re-verification finds that reason.
        case rejectionConfirmed = "rejection-confirmed"
        /// The record says rejected for a reason that depended on the job's policy, pins or
        /// environment: taken at its word (every check before it passes again), neither verified nor failed.
        case rejectionRecorded = "rejection-recorded"
        case failed
    }

    public var file: String
    public var line: Int
    public var jobID: Int?
    public var projectPath: String?
    public var approver: String?
    public var keyFingerprint: String?
    public var verifiedAt: String?
    public var recordedResult: String?
    public var result: Result
    /// A rejection reason name (docs/protocol.md section 6) or a record problem such as `record-mismatch`.
    public var reason: String?
    public var detail: String?
}

/// `audit verify`: re-runs docs/protocol.md section 5 on recorded approvals, as of the recorded
/// time and job truth, against an allowed_signers snapshot or the approvers' current GitLab keys.
public enum AuditVerify {
    public static func check(_ entry: AuditRecordFiles.Entry, registry: KeyRegistry) -> AuditVerifyCheck {
        switch entry.record {
        case .failure(let error):
            return AuditVerifyCheck(
                file: entry.file, line: entry.line, result: .failed, reason: "record-unreadable", detail: error.message)
        case .success(let record):
            return check(record, file: entry.file, line: entry.line, registry: registry)
        }
    }

    static func check(_ record: ApprovalAuditRecord, file: String, line: Int, registry: KeyRegistry) -> AuditVerifyCheck {
        var check = AuditVerifyCheck(
            file: file, line: line, jobID: record.job?.jobID, projectPath: record.job?.projectPath,
            approver: record.approver, keyFingerprint: record.keyFingerprint, verifiedAt: record.verifiedAt,
            recordedResult: record.result, result: .failed)
        guard record.format == ApprovalAuditRecord.currentFormat else {
            check.reason = "record-unknown-format"
            check.detail = "format \(record.format) is not \(ApprovalAuditRecord.currentFormat)"
            return check
        }
        switch record.result {
        case "accepted":
            judgeAcceptance(record, registry: registry, into: &check)
        case "rejected":
            let judgement = AuditVerifyRejection.judge(record, registry: registry)
            check.result = judgement.result
            check.reason = judgement.reason
            check.detail = judgement.detail
        default:
            check.reason = "record-mismatch"
            check.detail = "unknown recorded result \(record.result)"
        }
        return check
    }

    /// An acceptance must verify again in full, with every recorded detail agreeing.
    static func judgeAcceptance(_ record: ApprovalAuditRecord, registry: KeyRegistry, into check: inout AuditVerifyCheck) {
        switch record.reverify(registry: registry) {
        case .accepted(let approval):
            if let mismatch = mismatch(record, approval) {
                check.reason = "record-mismatch"
                check.detail = mismatch
            } else {
                check.result = .verified
                check.approver = approval.approver
                check.keyFingerprint = approval.keyFingerprint
            }
        case .rejected(let rejection):
            check.reason = rejection.reason.rawValue
            check.detail = rejection.explanation
        }
    }

    /// A recorded detail that disagrees with what re-verification found.
    static func mismatch(_ record: ApprovalAuditRecord, _ approval: AcceptedApproval) -> String? {
        if record.approver != approval.approver { return "recorded approver differs from the signed statement's" }
        if record.keyFingerprint != approval.keyFingerprint { return "recorded key fingerprint differs from the signing key" }
        if record.keyType != approval.keyType.rawValue { return "recorded key type differs from the signing key" }
        if record.flags != approval.flags { return "recorded flags differ from the signature's" }
        if record.counter != approval.counter { return "recorded counter differs from the signature's" }
        if let recorded = record.gitlabKeyID, let found = approval.gitlabKeyID, recorded != found {
            return "recorded GitLab key id \(recorded) differs from the registered key's \(found)"
        }
        return nil
    }

    /// The approvers named by the records and by the statements they carry (a rejection records no approver).
    public static func approvers(in entries: [AuditRecordFiles.Entry]) -> Set<String> {
        var names: Set<String> = []
        for case .success(let record) in entries.map(\.record) {
            if let approver = record.approver { names.insert(approver) }
            if let value = record.approval, let transport = try? ApprovalTransport(decoding: value),
                let statement = try? ApprovalStatement(parsing: transport.statementBytes)
            {
                names.insert(statement.approver)
            }
        }
        return names
    }

    /// A registry from the approvers' current GitLab profile keys (security keys only), each
    /// resolved as `ciauth verify` does: the exact username first (GitLab reads an all-digit
    /// `:id_or_username` as a user id), then the keys of that user id, owned by GitLab's spelling
    /// of the name (a statement naming "ALICE" is not alice's).
    public static func registry(approvers: Set<String>, client: GitLabClient) async throws -> KeyRegistry {
        var entries: [KeyRegistry.Entry] = []
        // GitLab matches usernames regardless of case: one lookup per person.
        for approver in Set(approvers.map { $0.lowercased() }).sorted() {
            entries += try await keys(of: approver, client: client).entries
        }
        return KeyRegistry(entries: entries)
    }

    /// A user's keys; none for a user GitLab no longer knows (their approvals then fail as unknown-key).
    static func keys(of approver: String, client: GitLabClient) async throws(GitLabError) -> KeyRegistry {
        do {
            guard let user = try await client.user(username: approver, authenticated: false) else { return KeyRegistry(entries: []) }
            let keys = try await client.keys(ofUser: String(user.id), authenticated: false)
            return KeyRegistry(gitlabKeys: keys, owner: user.username, ownerID: user.id)
        } catch {
            if error.code == .notFound { return KeyRegistry(entries: []) }
            throw error
        }
    }
}
