/// A GitLab user as `/user`, `/users` and job/member objects present it (UserBasic subset).
public struct GitLabUser: Codable, Sendable, Hashable {
    public let id: Int
    public let username: String
    public let name: String
    /// `active`, `blocked`, `ldap_blocked`, `blocked_pending_approval`, `banned`, `deactivated`, …
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
}
