import Foundation
import GitLab
import SSHSig

extension KeyRegistry {
    /// The approver's profile keys as registry entries. Keys that are not FIDO security keys
    /// (`sk-*`) or whose usage type is unknown are left out; expiry and auth-only usage are kept
    /// so the verifier can name them (`key-expired`, `key-not-for-signing`).
    /// `ownerID` is the user's GitLab id, which the statement's `approver-id` must equal.
    public init(gitlabKeys keys: [SSHKey], owner: String, ownerID: Int) {
        self.init(entries: keys.compactMap { key in
            guard let publicKey = try? SKPublicKey(authorizedKeysLine: key.publicKeyWithoutComment),
                let usage = Self.usage(key.usageType)
            else { return nil }
            return Entry(
                principal: owner, publicKey: publicKey, usage: usage, createdAt: key.createdAt, expiresAt: key.expiresAt,
                gitlabKeyID: key.id, ownerID: ownerID)
        })
    }

    private static func usage(_ usage: SSHKeyUsage) -> Usage? {
        switch usage {
        case .auth: .auth
        case .signing: .signing
        case .authAndSigning: .authAndSigning
        case .unrecognized: nil
        }
    }
}

/// One approver's account and profile keys as GitLab shows them to the caller, shared by verify
/// and `audit verify`: the exact username first (GitLab reads an all-digit `:id_or_username` as a
/// user id), then that user id's keys. Only an `active` account's keys count.
public enum ApproverLookup: Sendable {
    /// An active account and its keys, owned by the username as GitLab spells it.
    case found(GitLabUser, KeyRegistry)
    /// GitLab lists no such user: there is none, or the account is blocked, banned or
    /// LDAP-blocked and the caller is not an administrator (GitLab hides those states).
    case notFound
    /// Listed, but not `active`: deactivated, pending approval, any state an administrator's
    /// token sees, or no state at all.
    case inactive(GitLabUser)

    /// Reads the approver with the client's token when `authenticated`, else anonymously (the
    /// job token is never offered: GitLab ignores it on the Users API).
    public static func read(_ approver: String, client: GitLabClient, authenticated: Bool) async throws(GitLabError) -> ApproverLookup {
        guard let user = try await client.user(username: approver, authenticated: authenticated) else { return .notFound }
        guard user.isActive else { return .inactive(user) }
        do throws(GitLabError) {
            let keys = try await client.keys(ofUser: String(user.id), authenticated: authenticated)
            // The keys belong to the username as GitLab spells it: a statement naming "ALICE"
            // must not pass as anyone but alice (self-approval, player and approver lists).
            return .found(user, KeyRegistry(gitlabKeys: keys, owner: user.username, ownerID: user.id))
        } catch where error.code == .notFound {
            return .notFound
        }
    }

    /// The account GitLab returned, when it returned one.
    public var user: GitLabUser? {
        switch self {
        case .found(let user, _), .inactive(let user): user
        case .notFound: nil
        }
    }

    /// Why an approver's keys do not count; the raw values are the reasons' stable names.
    public enum Refusal: String, Sendable {
        case notFound = "approver-not-found"
        case inactive = "approver-inactive"
    }

    /// Why the approver's keys do not count, in a reader's words; nil when they do.
    public func refusal(_ approver: String, server: String) -> (reason: Refusal, explanation: String)? {
        switch self {
        case .found: nil
        case .notFound:
            (.notFound,
             "\(server) lists no user @\(approver): no such user, or the account is blocked, banned or LDAP-blocked "
                + "(GitLab hides those from everyone but administrators)")
        case .inactive(let user):
            (.inactive,
             "@\(user.username)'s account on \(server) is \(user.state.isEmpty ? "of unstated state" : user.state): only active users approve")
        }
    }
}
