import Foundation

/// A deployment of a project (`GET /projects/:id/deployments`), the fields ciauth relies on.
public struct GitLabDeployment: Decodable, Sendable, Hashable {
    public struct Environment: Decodable, Sendable, Hashable {
        public let id: Int
        public let name: String
    }

    /// The job that deploys (`deployable`), reduced to what links a deployment to a job.
    public struct Deployable: Decodable, Sendable, Hashable {
        public let id: Int
        public let name: String?
        public let status: JobStatus?
    }

    public let id: Int
    public let iid: Int
    public let ref: String
    public let sha: String
    /// `created`, `running`, `success`, `failed`, `canceled`, `skipped`, `blocked`.
    public let status: String
    public let createdAt: Date?
    public let environment: Environment
    public let deployable: Deployable?
    /// The same `deployable` read as the whole job (GitLab presents it as `Entities::Ci::Job`),
    /// nil when it does not read as one.
    public let deployableJob: GitLabJob?
    public let user: GitLabUser?

    enum CodingKeys: String, CodingKey {
        case id, iid, ref, sha, status, environment, deployable, user
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        iid = try container.decode(Int.self, forKey: .iid)
        ref = try container.decode(String.self, forKey: .ref)
        sha = try container.decode(String.self, forKey: .sha)
        status = try container.decode(String.self, forKey: .status)
        createdAt = try container.decodeTimestamp(.createdAt)
        environment = try container.decode(Environment.self, forKey: .environment)
        deployable = try container.decodeIfPresent(Deployable.self, forKey: .deployable)
        deployableJob = try? container.decodeIfPresent(GitLabJob.self, forKey: .deployable)
        user = try container.decodeIfPresent(GitLabUser.self, forKey: .user)
    }
}
