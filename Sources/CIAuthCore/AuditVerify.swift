import Foundation
import GitLab
import SSHSig

/// The outcome of re-checking one audit record.
public struct AuditVerifyCheck: Codable, Hashable, Sendable {
    public enum Result: String, Codable, Hashable, Sendable {
        /// The recorded acceptance verifies again and every recorded detail agrees.
        case verified
        /// The record says rejected, and re-verification rejects it too.
        case rejectionConfirmed = "rejection-confirmed"
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
        switch (record.result, record.reverify(registry: registry)) {
        case ("accepted", .accepted(let approval)):
            if let mismatch = mismatch(record, approval) {
                check.reason = "record-mismatch"
                check.detail = mismatch
            } else {
                check.result = .verified
                check.approver = approval.approver
                check.keyFingerprint = approval.keyFingerprint
            }
        case ("accepted", .rejected(let rejection)):
            check.reason = rejection.reason.rawValue
            check.detail = rejection.explanation
        case ("rejected", .rejected(let rejection)):
            check.result = .rejectionConfirmed
            check.reason = rejection.reason.rawValue
            check.detail = rejection.explanation
        case ("rejected", .accepted):
            check.reason = "record-mismatch"
            check.detail = "the record says rejected but the approval verifies"
        default:
            check.reason = "record-mismatch"
            check.detail = "unknown recorded result \(record.result)"
        }
        return check
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

    /// A registry from the approvers' current GitLab profile keys (security keys only).
    public static func registry(approvers: Set<String>, client: GitLabClient) async throws -> KeyRegistry {
        var entries: [KeyRegistry.Entry] = []
        for approver in approvers.sorted() {
            entries += try await keys(of: approver, client: client).compactMap { entry(approver: approver, key: $0) }
        }
        return KeyRegistry(entries: entries)
    }

    /// A user's keys; none for a user GitLab no longer knows (their approvals then fail as unknown-key).
    static func keys(of approver: String, client: GitLabClient) async throws(GitLabError) -> [SSHKey] {
        do {
            return try await client.keys(ofUser: approver)
        } catch {
            if error.code == .notFound { return [] }
            throw error
        }
    }

    static func entry(approver: String, key: SSHKey) -> KeyRegistry.Entry? {
        guard let publicKey = try? SKPublicKey(authorizedKeysLine: key.publicKeyWithoutComment) else { return nil }
        let usage: KeyRegistry.Usage
        switch key.usageType {
        case .signing: usage = .signing
        case .authAndSigning: usage = .authAndSigning
        case .auth, .unrecognized: usage = .auth
        }
        return KeyRegistry.Entry(
            principal: approver, publicKey: publicKey, usage: usage, createdAt: key.createdAt, expiresAt: key.expiresAt,
            gitlabKeyID: key.id)
    }
}
