import Foundation

/// A job status string; unknown statuses are kept as they are and never equal a known one.
public struct JobStatus: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let created = JobStatus(rawValue: "created")
    public static let waitingForResource = JobStatus(rawValue: "waiting_for_resource")
    public static let preparing = JobStatus(rawValue: "preparing")
    public static let pending = JobStatus(rawValue: "pending")
    public static let running = JobStatus(rawValue: "running")
    public static let success = JobStatus(rawValue: "success")
    public static let failed = JobStatus(rawValue: "failed")
    public static let canceling = JobStatus(rawValue: "canceling")
    public static let canceled = JobStatus(rawValue: "canceled")
    public static let skipped = JobStatus(rawValue: "skipped")
    public static let manual = JobStatus(rawValue: "manual")
    public static let scheduled = JobStatus(rawValue: "scheduled")

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}

/// A CI job (`Entities::Ci::Job`), the fields ciauth relies on.
public struct GitLabJob: Decodable, Sendable, Hashable {
    public struct Commit: Decodable, Sendable, Hashable {
        public let id: String
        public let shortID: String?
        public let title: String?

        enum CodingKeys: String, CodingKey {
            case id, title
            case shortID = "short_id"
        }
    }

    public struct Pipeline: Decodable, Sendable, Hashable {
        public let id: Int
        public let projectID: Int
        public let ref: String?
        public let sha: String
        public let status: String?
        public let webURL: String?
        /// When the pipeline (and with it each job's deployment) was created.
        public let createdAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, ref, sha, status
            case projectID = "project_id"
            case webURL = "web_url"
            case createdAt = "created_at"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int.self, forKey: .id)
            projectID = try container.decode(Int.self, forKey: .projectID)
            ref = try container.decodeIfPresent(String.self, forKey: .ref)
            sha = try container.decode(String.self, forKey: .sha)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            webURL = try container.decodeIfPresent(String.self, forKey: .webURL)
            createdAt = try container.decodeTimestamp(.createdAt)
        }
    }

    public let id: Int
    public let name: String
    public let stage: String
    public let status: JobStatus
    public let ref: String
    public let tag: Bool
    public let allowFailure: Bool?
    public let createdAt: Date?
    public let startedAt: Date?
    public let finishedAt: Date?
    public let webURL: String
    /// Who triggered the job; for a played manual job, the player.
    public let user: GitLabUser?
    /// Nil when GitLab no longer has the commit (garbage-collected after a force-push): the
    /// pipeline's `sha` still names it.
    public let commit: Commit?
    public let pipeline: Pipeline

    enum CodingKeys: String, CodingKey {
        case id, name, stage, status, ref, tag, user, commit, pipeline
        case allowFailure = "allow_failure"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case webURL = "web_url"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        stage = try container.decode(String.self, forKey: .stage)
        status = try container.decode(JobStatus.self, forKey: .status)
        ref = try container.decode(String.self, forKey: .ref)
        tag = try container.decodeIfPresent(Bool.self, forKey: .tag) ?? false
        allowFailure = try container.decodeIfPresent(Bool.self, forKey: .allowFailure)
        createdAt = try container.decodeTimestamp(.createdAt)
        startedAt = try container.decodeTimestamp(.startedAt)
        finishedAt = try container.decodeTimestamp(.finishedAt)
        webURL = try container.decode(String.self, forKey: .webURL)
        user = try container.decodeIfPresent(GitLabUser.self, forKey: .user)
        commit = try container.decodeIfPresent(Commit.self, forKey: .commit)
        pipeline = try container.decode(Pipeline.self, forKey: .pipeline)
    }

    /// The project the job belongs to.
    public var projectID: Int { pipeline.projectID }
}

/// One manual-job variable sent with play (`job_variables_attributes`). Its value is never
/// logged or shown in an error.
public struct PlayVariable: Sendable, Hashable, Encodable, CustomStringConvertible {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// GitLab's rule: `/\A[a-zA-Z0-9_]+\z/`, at most 255 characters.
    func validate() throws(GitLabError) {
        let ok = !key.isEmpty && key.utf8.count <= 255
            && key.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            }
        guard ok else {
            throw GitLabError(.invalidArgument, hint: "variable names may contain only letters, digits and _ (max 255)")
        }
    }

    public var description: String { "\(key)=[REDACTED]" }
}
