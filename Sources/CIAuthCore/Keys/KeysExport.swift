import Foundation
import GitLab
import SSHSig

/// `keys export --allowed-signers`: an OpenSSH allowed_signers file of the approvers' keys, for
/// offline verification (`ssh-keygen -Y verify`, `ciauth audit verify`).
public struct KeysExport: Sendable {
    public var client: GitLabClient

    public init(client: GitLabClient) {
        self.client = client
    }

    /// One line per security signing key of an active owner that has not expired at `now`:
    /// principal = username, `namespaces=` the approval namespace, `valid-before=` the last
    /// second before GitLab's expiry (OpenSSH's bound is inclusive).
    public func allowedSigners(of scope: KeysScope, now: Date = Date()) async throws -> String {
        let keys = try await KeysInventory(client: client).keys(of: scope)
        let lines = try keys.filter { $0.owner.state == "active" && $0.isSecuritySigningKey && !$0.isExpired(at: now) }
            .map(Self.line)
        return lines.map { $0 + "\n" }.joined()
    }

    static func line(_ key: ProfileKey) throws -> String {
        let publicKey = try SKPublicKey(authorizedKeysLine: key.publicKey)
        var validBefore: SSHTimestamp?
        if let expiry = key.expiresAt { validBefore = try SSHTimestamp(compact(expiry.addingTimeInterval(-1))) }
        let entry = try AllowedSignersEntry(
            principals: key.owner.username, namespaces: ApprovalProtocol.namespace, validBefore: validBefore,
            publicKey: publicKey, comment: "gitlab-key-\(key.id)")
        return entry.line
    }

    /// `YYYYMMDDHHMMSSZ` (UTC), the form allowed_signers takes.
    static func compact(_ date: Date) -> String {
        String(KeysTime.instant(date).filter(\.isNumber).prefix(14)) + "Z"
    }
}
