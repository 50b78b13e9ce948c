import Foundation

/// A job as the simulator sees it, for tests and the control endpoint: includes what GitLab's
/// REST API does not show (manual variables, exit code, whether its token is live).
public struct SimJobState: Codable, Sendable, Equatable {
    public var id: Int
    public var pipelineId: Int
    public var projectId: Int
    public var name: String
    public var status: String
    public var userId: Int?
    public var username: String?
    public var variables: [SimVariable]
    public var log: String
    public var exitCode: Int?
    public var retried: Bool
    public var retriedFromId: Int?
    public var tokenActive: Bool

    public var isFinished: Bool { ["success", "failed", "canceled", "skipped"].contains(status) }

    init(_ job: JobRecord, in world: SimWorld) {
        id = job.id
        pipelineId = job.pipelineId
        projectId = job.projectId
        name = job.name
        status = job.status
        userId = job.userId
        username = job.userId.flatMap { world.users[$0]?.username }
        variables = job.jobVariables.map { SimVariable(key: $0.key, value: $0.value) }
        log = job.log
        exitCode = job.exitCode
        retried = job.retried
        retriedFromId = job.retriedFromId
        tokenActive = job.token != nil && job.status == "running"
    }
}

public struct SimVariable: Codable, Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A stored SSH key with its computed fingerprint.
public struct SimKeyState: Codable, Sendable, Equatable {
    public var id: Int
    public var userId: Int
    public var title: String
    public var type: String
    public var fingerprintSha256: String
    public var usageType: String
    public var createdAt: String
    public var expiresAt: String?

    init(_ key: KeyRecord) {
        id = key.id
        userId = key.userId
        title = key.title
        type = key.parsed.type
        fingerprintSha256 = key.parsed.fingerprintSHA256
        usageType = key.usageType
        createdAt = SimClock.format(key.createdAt)
        expiresAt = key.expiresAt.map { SimClock.format($0) }
    }
}

/// One request the simulator received (never its credentials), for tests of retry logic.
public struct SimRequestRecord: Codable, Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String?
    /// The status sent, or nil when the connection was dropped without a response.
    public var status: Int?
    /// The fault applied, if any.
    public var fault: String?
}
