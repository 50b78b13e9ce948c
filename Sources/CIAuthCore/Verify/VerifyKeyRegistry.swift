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

extension KeyRegistry {
    /// The security keys on `approver`'s GitLab profile, asked anonymously: the exact username is
    /// resolved to its user id first (GitLab reads an all-digit `:id_or_username` as an id, which
    /// would list another user's keys). Nil when GitLab knows no such user. Used by verify and
    /// the gate alike.
    public static func fromProfile(of approver: String, client: GitLabClient) async throws(GitLabError) -> KeyRegistry? {
        do throws(GitLabError) {
            guard let user = try await client.user(username: approver, authenticated: false) else { return nil }
            let keys = try await client.keys(ofUser: String(user.id), authenticated: false)
            // The keys belong to the username as GitLab spells it: a statement naming "ALICE"
            // must not pass as anyone but alice (self-approval, player and approver lists).
            return KeyRegistry(gitlabKeys: keys, owner: user.username, ownerID: user.id)
        } catch where error.code == .notFound {
            return nil
        }
    }
}
