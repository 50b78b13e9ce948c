import Foundation

/// The token a request was made with, as `GET /personal_access_tokens/self` describes it.
public struct PersonalAccessToken: Decodable, Sendable, Hashable {
    public let id: Int
    public let name: String
    /// `api`, `read_api`, `read_user`, `read_repository`, …
    public let scopes: [String]
    public let active: Bool
    public let revoked: Bool
    /// The day it stops working (GitLab sends a date, read as midnight UTC); nil: never.
    public let expiresAt: Date?
    /// The token's owner; nil when GitLab leaves it out.
    public let userID: Int?

    public init(id: Int, name: String, scopes: [String], active: Bool, revoked: Bool, expiresAt: Date?, userID: Int? = nil) {
        self.userID = userID
        self.id = id
        self.name = name
        self.scopes = scopes
        self.active = active
        self.revoked = revoked
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, scopes, active, revoked
        case expiresAt = "expires_at"
        case userID = "user_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        scopes = try container.decode([String].self, forKey: .scopes)
        active = try container.decode(Bool.self, forKey: .active)
        revoked = try container.decode(Bool.self, forKey: .revoked)
        expiresAt = try container.decodeTimestamp(.expiresAt)
        userID = try container.decodeIfPresent(Int.self, forKey: .userID)
    }
}
