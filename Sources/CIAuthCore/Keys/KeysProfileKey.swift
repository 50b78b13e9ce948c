import Crypto
import Foundation
import GitLab
import SSHSig

/// The person a profile key belongs to, as the key listings show them.
public struct KeyOwner: Codable, Hashable, Sendable {
    public var id: Int
    public var username: String
    /// `active`, `blocked`, `deactivated`, … (GitLab's user state).
    public var state: String
    /// Effective access level in the listed group; nil when no group was asked about.
    public var accessLevel: Int?

    public init(id: Int, username: String, state: String, accessLevel: Int? = nil) {
        self.id = id
        self.username = username
        self.state = state
        self.accessLevel = accessLevel
    }

    /// GitLab's name of the access level ("Developer"), or nil.
    public var membership: String? { accessLevel.map { GitLab.AccessLevel(rawValue: $0).description } }
}

/// One SSH key of a GitLab profile, with the facts the key commands decide on.
public struct ProfileKey: Codable, Hashable, Sendable {
    public var owner: KeyOwner
    /// GitLab's key id.
    public var id: Int
    public var title: String
    /// The key type as GitLab lists it (`sk-ssh-ed25519@openssh.com`, `ssh-rsa`, …).
    public var type: String
    /// `SHA256:…` as `ssh-keygen -l` prints it; "(invalid)" when the blob is not base64.
    public var fingerprint: String
    /// `signing`, `auth`, `auth_and_signing`.
    public var usage: String
    public var createdAt: Date?
    public var expiresAt: Date?
    /// A FIDO security key (`sk-*`) whose blob parses strictly.
    public var isSecurityKey: Bool
    /// Type and base64 blob, without GitLab's rewritten comment.
    public var publicKey: String

    public init(owner: KeyOwner, key: SSHKey) {
        self.owner = owner
        id = key.id
        title = key.title
        let text = key.publicKeyWithoutComment
        publicKey = text
        let tokens = text.split(separator: " ")
        type = tokens.first.map(String.init) ?? ""
        fingerprint = tokens.count == 2 ? Self.fingerprint(base64: tokens[1]) : "(invalid)"
        usage = key.usageType.rawValue
        createdAt = key.createdAt
        expiresAt = key.expiresAt
        isSecurityKey = (try? SKPublicKey(authorizedKeysLine: text)) != nil
    }

    public var allowsSigning: Bool { SSHKeyUsage(rawValue: usage).allowsSigning }

    /// A security key registered for signing: what approvals can be made with.
    public var isSecuritySigningKey: Bool { isSecurityKey && allowsSigning }

    public func isExpired(at now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }

    /// Whole days since the key was added, nil when GitLab did not say.
    public func ageInDays(at now: Date) -> Int? {
        createdAt.map { Int(now.timeIntervalSince($0) / 86400) }
    }

    static func fingerprint(base64: Substring) -> String {
        guard let blob = Data(base64Encoded: String(base64)) else { return "(invalid)" }
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }
}
