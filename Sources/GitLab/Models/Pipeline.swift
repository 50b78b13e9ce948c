import Foundation

/// A pipeline (`GET /projects/:id/pipelines/:pipeline_id`, `Entities::Ci::Pipeline`), the fields
/// ciauth relies on. Parsing is strict: ids must be positive and the SHA a full lowercase hex
/// commit id, because the answer is compared with the job's truth.
public struct GitLabPipeline: Decodable, Sendable, Hashable {
    public let id: Int
    public let iid: Int?
    public let projectID: Int
    public let sha: String
    public let ref: String
    /// `created`, `pending`, `running`, `success`, `failed`, `canceled`, `skipped`, `manual`, …
    public let status: String
    /// What started the pipeline: `push`, `web`, `trigger`, `schedule`, `api`, `merge_request_event`, …
    public let source: String
    /// Who created (or triggered) the pipeline; nil when GitLab names nobody (a deleted user).
    /// A played manual job does not change it: that is the job's user.
    public let user: GitLabUser?
    public let webURL: String?
    public let createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, iid, sha, ref, status, source, user
        case projectID = "project_id"
        case webURL = "web_url"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try Self.positive(container, .id)
        iid = try container.decodeIfPresent(Int.self, forKey: .iid)
        projectID = try Self.positive(container, .projectID)
        sha = try container.decode(String.self, forKey: .sha)
        guard Self.isCommitID(sha) else {
            throw DecodingError.dataCorruptedError(forKey: .sha, in: container, debugDescription: "not a full hex commit id")
        }
        ref = try container.decode(String.self, forKey: .ref)
        status = try container.decode(String.self, forKey: .status)
        source = try container.decode(String.self, forKey: .source)
        user = try container.decodeIfPresent(GitLabUser.self, forKey: .user)
        webURL = try container.decodeIfPresent(String.self, forKey: .webURL)
        createdAt = try container.decodeTimestamp(.createdAt)
    }

    private static func positive(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int {
        let value = try container.decode(Int.self, forKey: key)
        guard value > 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a positive id")
        }
        return value
    }

    /// SHA-1 (40) or SHA-256 (64) lowercase hex digits.
    static func isCommitID(_ text: String) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64)
            && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
