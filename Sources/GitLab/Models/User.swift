/// A GitLab user as `/user`, `/users` and job/member objects present it (UserBasic subset).
public struct GitLabUser: Codable, Sendable, Hashable {
    public let id: Int
    public let username: String
    public let name: String
    /// `active`, `blocked`, `ldap_blocked`, `blocked_pending_approval`, `banned`, `deactivated`, …;
    /// empty when the answer leaves it out (never active).
    public let state: String
    public let webURL: String?

    public init(id: Int, username: String, name: String, state: String, webURL: String? = nil) {
        self.id = id
        self.username = username
        self.name = name
        self.state = state
        self.webURL = webURL
    }

    /// Only `active` users can act; every other known and unknown state is treated as inactive.
    public var isActive: Bool { state == "active" }

    enum CodingKeys: String, CodingKey {
        case id, username, name, state
        case webURL = "web_url"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        username = try container.decode(String.self, forKey: .username)
        name = try container.decode(String.self, forKey: .name)
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? ""
        webURL = try container.decodeIfPresent(String.self, forKey: .webURL)
    }
}
