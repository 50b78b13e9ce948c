import Foundation

/// The simulator's live state, one record type per GitLab resource.

struct UserRecord: Sendable {
    var id: Int
    var username: String
    var name: String
    var email: String?
    var admin: Bool
    var state: SimSeed.UserState
    var tokens: [SimSeed.Token]
    var createdAt: Date
}

struct KeyRecord: Sendable {
    var id: Int
    var userId: Int
    var title: String
    var parsed: SSHPublicKey
    var usageType: String
    var createdAt: Date
    var expiresAt: Date?
}

struct MemberRecord: Sendable {
    var userId: Int
    var accessLevel: Int
    var createdAt: Date
    var expiresAt: Date?
}

struct GroupRecord: Sendable {
    var id: Int
    var path: String
    var name: String
    var parentId: Int?
    var visibility: String
    var members: [MemberRecord]
}

struct ProjectRecord: Sendable {
    var id: Int
    var pathWithNamespace: String
    var name: String
    /// The group holding the project, nil for a personal project.
    var groupId: Int?
    /// Owner of a personal project.
    var ownerUserId: Int?
    var visibility: String
    var defaultBranch: String
    var members: [MemberRecord]
    var overrideRole: String
    /// Whether `overrideRole` gates pipeline variables at all (stored apart, as GitLab does).
    var restrictUserDefinedVariables: Bool
    var protectedRefs: [String]
    var variables: [String: String]
    var workingDirectory: String?
    /// Projects whose job tokens may use this one besides itself (the job token's inbound allowlist).
    var jobTokenAllowlist: Set<Int> = []
    var createdAt: Date

    var path: String { String(pathWithNamespace.split(separator: "/").last ?? "") }
    var namespacePath: String { pathWithNamespace.split(separator: "/").dropLast().joined(separator: "/") }
}

struct CommitRecord: Sendable {
    var title: String
    var message: String
    var authorName: String
    var authorEmail: String
    /// Path → content, for the repository files API.
    var files: [String: String] = [:]
}

struct PipelineRecord: Sendable {
    var id: Int
    var iid: Int
    var projectId: Int
    var ref: String
    var sha: String
    var source: String
    var userId: Int?
    var commit: CommitRecord
    /// Garbage-collected: jobs show `commit: null`.
    var commitMissing: Bool = false
    var createdAt: Date
}

struct JobVariable: Sendable, Equatable {
    var key: String
    var value: String
}

struct JobRecord: Sendable {
    var id: Int
    var pipelineId: Int
    var projectId: Int
    var name: String
    var stage: String
    var status: String
    var when: String
    var environment: String?
    /// `environment: action:`; nil is GitLab's default, `start`.
    var environmentAction: String? = nil
    var script: String
    var userId: Int?
    var allowFailure: Bool
    var yamlVariables: [String: String]
    var jobVariables: [JobVariable]
    var workingDirectory: String?
    var tagList: [String]
    var createdAt: Date
    var queuedAt: Date?
    var startedAt: Date?
    var finishedAt: Date?
    var retried: Bool
    var retriedFromId: Int?
    var startedManually: Bool
    var log: String
    var exitCode: Int?
    var token: String?
    var failureReason: String?

    var isFinished: Bool { ["success", "failed", "canceled", "skipped"].contains(status) }
    var isAction: Bool { when == "manual" }
}

struct EnvironmentRecord: Sendable {
    var id: Int
    var projectId: Int
    var name: String
}

struct DeploymentRecord: Sendable {
    var id: Int
    var iid: Int
    var projectId: Int
    var environmentId: Int
    var jobId: Int
    var createdAt: Date
}

/// A fault rule with the number of hits it has left.
struct ActiveFault: Sendable {
    var rule: SimFaultRule
    var remaining: Int?
}
