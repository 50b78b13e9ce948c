import Foundation

/// The machine-readable record of one verification (DESIGN trust model point 7): enough to re-check
/// the approval offline, years later, against an allowed_signers snapshot (`reverify`).
public struct ApprovalAuditRecord: Codable, Hashable, Sendable {
    public static let currentFormat = "ciauth-audit-v1"

    /// GitLab's truth about the job, as the verifier used it.
    public struct Job: Codable, Hashable, Sendable {
        public var server: String
        public var projectID: Int
        public var projectPath: String
        public var pipelineID: Int
        public var jobID: Int
        public var jobName: String
        public var ref: String
        public var commitSHA: String
        /// nil: unknown; "(none)": no environment; otherwise the name.
        public var environment: String?
        public var pipelineCreator: String?
        public var player: String?
    }

    public var format: String
    public var toolVersion: String
    /// The verification time, RFC 3339 UTC.
    public var verifiedAt: String
    /// "accepted" or "rejected".
    public var result: String
    public var reason: String?
    public var failureClass: String?
    public var explanation: String?
    /// The CI variable's value as received (absent when empty or over the size limit).
    public var approval: String?
    public var approver: String?
    public var keyType: String?
    public var keyFingerprint: String?
    public var gitlabKeyID: Int?
    public var flags: UInt8?
    public var counter: UInt32?
    public var job: Job?
    /// `ciauth gate`'s decisions: the gate and the ID token's verified claims (never the token).
    public var gate: GateAuditFacts?

    public init(verdict: ApprovalVerdict, transport value: String, facts: JobFacts?, now: Date) {
        format = Self.currentFormat
        toolVersion = CIAuthVersion.current
        verifiedAt = ApprovalTimestamp(now)?.rfc3339 ?? "invalid"
        approval = value.isEmpty || value.utf8.count > ApprovalLimits.transportBytes ? nil : value
        job = facts.map(Job.init)
        switch verdict {
        case .accepted(let accepted):
            result = "accepted"
            approver = accepted.approver
            keyType = accepted.keyType.rawValue
            keyFingerprint = accepted.keyFingerprint
            gitlabKeyID = accepted.gitlabKeyID
            flags = accepted.flags
            counter = accepted.counter
        case .rejected(let rejection):
            result = "rejected"
            reason = rejection.reason.rawValue
            failureClass = rejection.failureClass.rawValue
            explanation = rejection.explanation
        }
    }

    /// One line of JSON with sorted keys (an append-only log holds one record per line).
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public init(jsonLine: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(jsonLine.utf8))
    }

    /// Verifies the recorded approval again, as of the recorded time and job, against `registry`
    /// (typically `KeyRegistry(allowedSigners:)` of a snapshot).
    public func reverify(registry: KeyRegistry, policy: ApprovalPolicy = .default) -> ApprovalVerdict {
        guard let time = ApprovalTimestamp(rfc3339: Substring(verifiedAt)) else {
            return .rejected(ApprovalRejection(.invalidTimestamp, "the record's verification time is invalid"))
        }
        return ApprovalVerifier(registry: registry, policy: policy)
            .verify(transport: approval ?? "", facts: job?.facts, now: time.date)
    }
}

extension ApprovalAuditRecord.Job {
    init(_ facts: JobFacts) {
        self.init(
            server: facts.server, projectID: facts.projectID, projectPath: facts.projectPath, pipelineID: facts.pipelineID,
            jobID: facts.jobID, jobName: facts.jobName, ref: facts.ref, commitSHA: facts.commitSHA,
            environment: {
                switch facts.environment {
                case .unknown: return nil
                case .none: return ApprovalFieldRules.noneMarker
                case .named(let name): return name
                }
            }(),
            pipelineCreator: facts.pipelineCreator, player: facts.player)
    }

    var facts: JobFacts {
        JobFacts(
            server: server, projectID: projectID, projectPath: projectPath, pipelineID: pipelineID, jobID: jobID,
            jobName: jobName, ref: ref, commitSHA: commitSHA,
            environment: environment.map { $0 == ApprovalFieldRules.noneMarker ? .none : .named($0) } ?? .unknown,
            pipelineCreator: pipelineCreator, player: player)
    }
}
