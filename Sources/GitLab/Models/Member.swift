import Foundation

/// GitLab access levels (`lib/gitlab/access.rb`); unknown levels keep their number.
public struct AccessLevel: RawRepresentable, Sendable, Hashable, Comparable, Decodable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let noAccess = AccessLevel(rawValue: 0)
    public static let minimalAccess = AccessLevel(rawValue: 5)
    public static let guest = AccessLevel(rawValue: 10)
    public static let planner = AccessLevel(rawValue: 15)
    public static let reporter = AccessLevel(rawValue: 20)
    public static let developer = AccessLevel(rawValue: 30)
    public static let maintainer = AccessLevel(rawValue: 40)
    public static let owner = AccessLevel(rawValue: 50)
    public static let admin = AccessLevel(rawValue: 60)

    public static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int.self)
    }

    public var description: String {
        let names: [Int: String] = [
            0: "No access", 5: "Minimal access", 10: "Guest", 15: "Planner", 20: "Reporter", 30: "Developer",
            40: "Maintainer", 50: "Owner", 60: "Admin",
        ]
        return names[rawValue] ?? "access level \(rawValue)"
    }
}

/// A member of a group or project, with the effective (highest) access level.
public struct GitLabMember: Decodable, Sendable, Hashable {
    public let id: Int
    public let username: String
    public let name: String
    public let state: String
    public let accessLevel: AccessLevel
    public let expiresAt: Date?
    /// `active`, or `awaiting` for a member held back by a user cap (no access yet); nil from
    /// GitLab versions that do not send it.
    public let membershipState: String?

    enum CodingKeys: String, CodingKey {
        case id, username, name, state
        case accessLevel = "access_level"
        case expiresAt = "expires_at"
        case membershipState = "membership_state"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        username = try container.decode(String.self, forKey: .username)
        name = try container.decode(String.self, forKey: .name)
        state = try container.decode(String.self, forKey: .state)
        accessLevel = try container.decode(AccessLevel.self, forKey: .accessLevel)
        expiresAt = try container.decodeTimestamp(.expiresAt)
        membershipState = try container.decodeIfPresent(String.self, forKey: .membershipState)
    }
}

/// A group or a project, for membership requests.
public enum MembershipScope: Sendable, Hashable, CustomStringConvertible {
    case group(String)
    case project(ProjectReference)

    var pathPrefix: String {
        switch self {
        case .group(let group): "/groups/\(PercentEncoding.encode(group))"
        case .project(let project): "/projects/\(project.pathSegment)"
        }
    }

    public var description: String {
        switch self {
        case .group(let group): "group \(group)"
        case .project(let project): project.description
        }
    }
}
