import GitLab

/// Who the approval names: the GitLab user the offered credentials were enrolled for, when the
/// enrollment records agree, else whoever GitLab says owns the token (`GET /user`).
///
/// A record saves a request; it cannot weaken verification. If it named the wrong user, the
/// statement would name a user whose profile lacks the key, or one who did not play the job, and
/// `ciauth verify` refuses both.
public struct ApproveApprover: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable {
        /// The enrollment records of every offered credential name this user on this server.
        case enrollmentRecord = "enrollment-record"
        /// GitLab's answer to `GET /user` for the token in use.
        case gitlab
    }

    public let id: Int
    public let username: String
    public let source: Source

    public init(id: Int, username: String, source: Source) {
        self.id = id
        self.username = username
        self.source = source
    }

    /// The user every credential's record names for `server`; nil when any credential has no
    /// usable record for it or two records disagree. Unusable records are reported to `note`.
    static func recorded(
        for credentials: [EnrolledCredential], in store: CredentialStore, server: String, note: (String) -> Void
    ) -> ApproveApprover? {
        guard let canonical = try? ApprovalStatement.canonicalServerURL(server) else { return nil }
        var users = Set<Pair>()
        for credential in credentials {
            let registrations: [CredentialRegistration]
            do {
                registrations = try store.registrations(of: credential)
            } catch {
                note("Ignoring the enrollment record of \(credential.fingerprint): \(error); asking GitLab who you are.")
                return nil
            }
            guard let registration = registrations.first(where: { $0.server == canonical }) else { return nil }
            users.insert(Pair(id: registration.userID, username: registration.username))
        }
        guard users.count == 1, let user = users.first else { return nil }
        return ApproveApprover(id: user.id, username: user.username, source: .enrollmentRecord)
    }

    /// Rewrites the records of `credentials` for `server` that name `userID` with its new
    /// username; false when any could not be rewritten.
    static func renameInRecords(
        of credentials: [EnrolledCredential], in store: CredentialStore, server: String, userID: Int, to username: String
    ) -> Bool {
        guard let canonical = try? ApprovalStatement.canonicalServerURL(server), (try? ApprovalFieldRules.username(username)) != nil else {
            return false
        }
        var updated = true
        for credential in credentials {
            guard let old = (try? store.registrations(of: credential))?.first(where: { $0.server == canonical && $0.userID == userID }) else {
                continue
            }
            let renamed = CredentialRegistration(server: canonical, userID: userID, username: username, keyID: old.keyID)
            do { try store.record(renamed, for: credential) } catch { updated = false }
        }
        return updated
    }

    private struct Pair: Hashable {
        let id: Int
        let username: String
    }
}
