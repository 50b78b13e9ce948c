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
