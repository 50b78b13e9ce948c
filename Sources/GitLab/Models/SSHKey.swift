import Foundation

/// What a key on a GitLab profile may be used for (`usage_type`, GitLab 15.7+).
public enum SSHKeyUsage: Sendable, Hashable, Codable {
    case auth
    case signing
    case authAndSigning
    /// A value this client does not know; never treated as signing.
    case unrecognized(String)

    public var rawValue: String {
        switch self {
        case .auth: "auth"
        case .signing: "signing"
        case .authAndSigning: "auth_and_signing"
        case .unrecognized(let value): value
        }
    }

    public var allowsSigning: Bool { self == .signing || self == .authAndSigning }

    public init(rawValue: String) {
        switch rawValue {
        case "auth": self = .auth
        case "signing": self = .signing
        case "auth_and_signing": self = .authAndSigning
        default: self = .unrecognized(rawValue)
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// An SSH key on a profile (`id,title,created_at,expires_at,key,usage_type`). GitLab replaces
/// the key's comment with "<display name> (<host>)", so only the first two tokens of `key` mean anything.
public struct SSHKey: Decodable, Sendable, Hashable {
    public let id: Int
    public let title: String
    public let key: String
    public let createdAt: Date?
    public let expiresAt: Date?
    public let usageType: SSHKeyUsage

    public init(id: Int, title: String, key: String, createdAt: Date?, expiresAt: Date?, usageType: SSHKeyUsage) {
        self.id = id
        self.title = title
        self.key = key
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usageType = usageType
    }

    enum CodingKeys: String, CodingKey {
        case id, title, key
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case usageType = "usage_type"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        key = try container.decode(String.self, forKey: .key)
        createdAt = try container.decodeTimestamp(.createdAt)
        expiresAt = try container.decodeTimestamp(.expiresAt)
        // GitLab before 15.7 has no usage_type: every key was usable for both. A `null` is
        // neither that nor a usage, and must not make the key a signing key.
        usageType = container.contains(.usageType) ? try container.decode(SSHKeyUsage.self, forKey: .usageType) : .authAndSigning
    }

    /// Key type and base64 blob, without GitLab's rewritten comment.
    public var publicKeyWithoutComment: String {
        key.split(separator: " ", maxSplits: 2).prefix(2).joined(separator: " ")
    }

    public func isExpired(at now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }
}

/// Body of `POST /user/keys`.
public struct NewSSHKey: Sendable, Hashable {
    public var title: String
    public var key: String
    public var usageType: SSHKeyUsage
    public var expiresAt: Date?

    public init(title: String, key: String, usageType: SSHKeyUsage = .signing, expiresAt: Date? = nil) {
        self.title = title
        self.key = key
        self.usageType = usageType
        self.expiresAt = expiresAt
    }

    func jsonBody() throws(GitLabError) -> [UInt8] {
        guard !title.isEmpty, title.count <= 255 else {
            throw GitLabError(.invalidArgument, hint: "key title must be 1 to 255 characters")
        }
        if case .unrecognized(let value) = usageType {
            throw GitLabError(.invalidArgument, hint: "unknown key usage type \(value)")
        }
        var object: [String: String] = ["title": title, "key": key, "usage_type": usageType.rawValue]
        if let expiresAt { object["expires_at"] = Self.iso8601(expiresAt) }
        return try JSONBody.encode(object)
    }

    static func iso8601(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
