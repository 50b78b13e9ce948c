/// What an approver signs: exactly which GitLab job(s) may run, for whom, and until when
/// (docs/protocol.md, "The approval statement"). A value of this type always satisfies every
/// field rule, so it always encodes, and its encoding always parses back to an equal value.
public struct ApprovalStatement: Hashable, Sendable, CustomStringConvertible {
    /// One approved job and the deployment environment it deploys to, as GitLab states it.
    public struct Job: Hashable, Sendable {
        public let id: Int
        public let name: String
        public let environment: Environment

        public init(id: Int, name: String, environment: Environment = .none) {
            self.id = id
            self.name = name
            self.environment = environment
        }

        /// The same job with another environment.
        public func with(_ environment: Environment) -> Job { Job(id: id, name: name, environment: environment) }
    }

    /// The deployment environment of the approved job(s), or an explicit "none".
    public enum Environment: Hashable, Sendable {
        case none
        case named(String)
    }

    /// The GitLab instance, canonical (`ApprovalStatement.canonicalServerURL`).
    public let server: String
    public let projectID: Int
    public let projectPath: String
    public let pipelineID: Int
    /// One or more jobs of the pipeline, in strictly ascending id order, each with its environment.
    public let jobs: [Job]
    public let ref: String
    public let commitSHA: String
    /// The GitLab username of the person who signs.
    public let approver: String
    /// The signer's GitLab user id: usernames can be renamed and taken by someone else, ids cannot.
    public let approverID: Int
    public let issuedAt: ApprovalTimestamp
    public let expiresAt: ApprovalTimestamp
    /// 16 random bytes making every statement unique.
    public let nonce: [UInt8]
    public let reason: String?

    /// Checks every field; jobs may come in any order and are sorted by id.
    public init(
        server: String, projectID: Int, projectPath: String, pipelineID: Int, jobs: [Job],
        ref: String, commitSHA: String, approver: String, approverID: Int,
        issuedAt: ApprovalTimestamp, expiresAt: ApprovalTimestamp, nonce: [UInt8], reason: String?
    ) throws {
        try ApprovalFieldRules.serverURL(server)
        try ApprovalFieldRules.positive(projectID, field: "project-id")
        try ApprovalFieldRules.projectPath(projectPath)
        try ApprovalFieldRules.positive(pipelineID, field: "pipeline-id")
        let sortedJobs = jobs.sorted { $0.id < $1.id }
        try Self.checkJobs(sortedJobs)
        try ApprovalFieldRules.ref(ref)
        try ApprovalFieldRules.commit(commitSHA)
        try ApprovalFieldRules.username(approver)
        try ApprovalFieldRules.positive(approverID, field: "approver-id")
        try Self.checkValidity(issuedAt: issuedAt, expiresAt: expiresAt)
        guard nonce.count == ApprovalLimits.nonceBytes else {
            throw ApprovalRejection(.invalidNonce, "nonce must be \(ApprovalLimits.nonceBytes) bytes")
        }
        if let reason { try ApprovalFieldRules.reason(reason) }
        self.server = server
        self.projectID = projectID
        self.projectPath = projectPath
        self.pipelineID = pipelineID
        self.jobs = sortedJobs
        self.ref = ref
        self.commitSHA = commitSHA
        self.approver = approver
        self.approverID = approverID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.nonce = nonce
        self.reason = reason
    }

    /// Two statements are equal exactly when their encodings are (Swift's `String` equality
    /// would treat canonically equivalent Unicode in `reason` as equal; bytes are what is signed).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.encoded == rhs.encoded }

    public func hash(into hasher: inout Hasher) { hasher.combine(encoded) }

    public var description: String { String(decoding: encoded, as: UTF8.self) }

    /// The distinct environments of the approved jobs, in job order.
    public var environments: [Environment] {
        var seen: [Environment] = []
        for job in jobs where !seen.contains(job.environment) { seen.append(job.environment) }
        return seen
    }

    static func checkJobs(_ jobs: [Job]) throws {
        guard !jobs.isEmpty else { throw ApprovalRejection(.statementMissingField, "a statement needs at least one job") }
        guard jobs.count <= ApprovalLimits.jobs else {
            throw ApprovalRejection(.tooManyJobs, "a statement may approve at most \(ApprovalLimits.jobs) jobs")
        }
        for job in jobs {
            try ApprovalFieldRules.positive(job.id, field: "job id")
            try ApprovalFieldRules.jobName(job.name)
            if case .named(let name) = job.environment { try ApprovalFieldRules.environmentName(name) }
        }
        for (previous, next) in zip(jobs, jobs.dropFirst()) where previous.id >= next.id {
            throw ApprovalRejection(.jobsNotAscending, "job \(next.id) is listed twice or out of ascending order")
        }
    }

    static func checkValidity(issuedAt: ApprovalTimestamp, expiresAt: ApprovalTimestamp) throws {
        let lifetime = expiresAt.secondsSinceEpoch - issuedAt.secondsSinceEpoch
        guard lifetime > 0, lifetime <= ApprovalLimits.validitySeconds else {
            throw ApprovalRejection(
                .invalidValidityPeriod,
                "expires-at must be after issued-at and at most \(ApprovalLimits.validitySeconds / 86_400) days later")
        }
    }
}

extension ApprovalStatement {
    /// Normalises a server URL as users and CI variables write it (trailing slash, upper-case
    /// host, default port) into the canonical form the statement requires, or throws.
    public static func canonicalServerURL(_ text: String) throws -> String {
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        guard let schemeEnd = url.range(of: "://") else {
            throw ApprovalRejection(.invalidServerURL, "server URL must start with https:// or http://")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd].lowercased()
        let defaultPort = scheme == "https" ? ":443" : scheme == "http" ? ":80" : nil
        if let defaultPort, authority.hasSuffix(defaultPort) { authority.removeLast(defaultPort.count) }
        let canonical = scheme + "://" + authority + rest[authorityEnd...]
        try ApprovalFieldRules.serverURL(canonical)
        return canonical
    }
}
