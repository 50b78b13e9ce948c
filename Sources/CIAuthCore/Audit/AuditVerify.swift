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

/// The approvers' current GitLab keys, and the approvers whose keys do not count (no active
/// account GitLab shows), by lowercased username.
public struct AuditGitLabKeys: Sendable {
    public struct Refusal: Sendable, Hashable {
        /// `approver-not-found` or `approver-inactive`.
        public var reason: String
        public var explanation: String
    }

    public var registry: KeyRegistry
    public var refusals: [String: Refusal]

    public init(registry: KeyRegistry, refusals: [String: Refusal] = [:]) {
        self.registry = registry
        self.refusals = refusals
    }
}

/// `audit verify`: re-runs docs/protocol.md section 5 on recorded approvals, as of the recorded
/// time and job truth, against an allowed_signers snapshot or the approvers' current GitLab keys.
public enum AuditVerify {
    public static func check(
        _ entry: AuditRecordFiles.Entry, registry: KeyRegistry, refusals: [String: AuditGitLabKeys.Refusal] = [:]
    ) -> AuditVerifyCheck {
        switch entry.record {
        case .failure(let error):
            return AuditVerifyCheck(
                file: entry.file, line: entry.line, result: .failed, reason: "record-unreadable", detail: error.message)
        case .success(let record):
            return check(record, file: entry.file, line: entry.line, registry: registry, refusals: refusals)
        }
    }

    static func check(
        _ record: ApprovalAuditRecord, file: String, line: Int, registry: KeyRegistry,
        refusals: [String: AuditGitLabKeys.Refusal] = [:]
    ) -> AuditVerifyCheck {
        var check = AuditVerifyCheck(
            file: file, line: line, jobID: record.job?.jobID, projectPath: record.job?.projectPath,
            approver: record.approver, keyFingerprint: record.keyFingerprint, verifiedAt: record.verifiedAt,
            recordedResult: record.result, result: .failed)
        guard record.format == ApprovalAuditRecord.currentFormat else {
            check.reason = "record-unknown-format"
            check.detail = "format \(record.format) is not \(ApprovalAuditRecord.currentFormat)"
            return check
        }
        // An acceptance by an approver without an active account GitLab shows: their keys vouch
        // for nothing. (A rejection, such as verify's own approver-inactive, is judged as usual.)
        if record.result == "accepted", let refusal = approvers(of: record).lazy.compactMap({ refusals[$0.lowercased()] }).first {
            check.reason = refusal.reason
            check.detail = refusal.explanation
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
        for case .success(let record) in entries.map(\.record) { names.formUnion(approvers(of: record)) }
        return names
    }

    /// The record's approver and its statement's.
    static func approvers(of record: ApprovalAuditRecord) -> [String] {
        var names = record.approver.map { [$0] } ?? []
        if let value = record.approval, let transport = try? ApprovalTransport(decoding: value),
            let statement = try? ApprovalStatement(parsing: transport.statementBytes)
        {
            names.append(statement.approver)
        }
        return names
    }

    /// A registry from the approvers' current GitLab profile keys (security keys only), each
    /// looked up as `ciauth verify` does (`ApproverLookup`): with the client's token when it holds
    /// a user's token (an instance that restricts Public visibility hides users from anonymous
    /// visitors), else anonymously. Approvers without an active account GitLab shows are refused
    /// by name instead of failing as unknown keys.
    public static func registry(approvers: Set<String>, client: GitLabClient) async throws -> AuditGitLabKeys {
        var keys = AuditGitLabKeys(registry: KeyRegistry(entries: []))
        var entries: [KeyRegistry.Entry] = []
        // GitLab matches usernames regardless of case: one lookup per person.
        for approver in Set(approvers.map { $0.lowercased() }).sorted() {
            let lookup = try await lookUp(approver, client: client)
            if case .found(_, let registry) = lookup { entries += registry.entries }
            if let (reason, explanation) = lookup.refusal(approver, server: client.server.description) {
                keys.refusals[approver] = AuditGitLabKeys.Refusal(reason: reason.rawValue, explanation: explanation)
            }
        }
        keys.registry = KeyRegistry(entries: entries)
        return keys
    }

    static func lookUp(_ approver: String, client: GitLabClient) async throws(GitLabError) -> ApproverLookup {
        do {
            return try await ApproverLookup.read(approver, client: client, authenticated: client.hasUserToken)
        } catch where error.code == .forbidden && !client.hasUserToken {
            throw GitLabError(
                error.code, status: error.status, request: error.request, serverMessage: error.serverMessage,
                hint: "this GitLab does not show users to anonymous visitors (it restricts Public visibility): "
                    + "give a token with read_api (--token-file, CIAUTH_TOKEN or the config file), or use --allowed-signers")
        }
    }
}
