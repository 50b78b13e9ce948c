import Foundation
import GitLab

/// Deletes keys, tolerating what a re-run and a busy server bring: 404 means already revoked,
/// 429 and 5xx are retried (a DELETE of a key is idempotent), waiting `Retry-After` when given.
/// When the last answer leaves it open whether a DELETE took effect, the key is read back.
public struct KeysRevoker: Sendable {
    public var client: GitLabClient
    public var concurrency: Int
    public var retries: Int
    public var baseDelay: Duration
    /// A longer `Retry-After` than this fails the key instead of stalling the run.
    public var maxRetryAfter: Duration

    public init(
        client: GitLabClient, concurrency: Int = 8, retries: Int = 3, baseDelay: Duration = .milliseconds(500),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.client = client
        self.concurrency = max(1, concurrency)
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// How a key is deleted: as its owner (`DELETE /user/keys/:id`) or as an administrator.
    public enum Authority: Sendable {
        case owner
        case administrator
    }

    /// Revokes every key, at most `concurrency` at a time; never throws, one failure does not stop the rest.
    public func revoke(_ keys: [ProfileKey], as authority: Authority) async -> [KeysRevocationResult] {
        let revoker = self
        let results = try? await BoundedConcurrency.map(keys, limit: concurrency) { key in
            await revoker.revoke(key, as: authority)
        }
        return results ?? []
    }

    public func revoke(_ key: ProfileKey, as authority: Authority) async -> KeysRevocationResult {
        var attempt = 0
        var mayHaveLanded = false
        while true {
            attempt += 1
            do {
                switch authority {
                case .owner: try await client.deleteOwnKey(id: key.id)
                case .administrator: try await client.deleteKey(id: key.id, ofUserID: key.owner.id)
                }
                return KeysRevocationResult(key: key, outcome: .revoked, attempts: attempt)
            } catch {
                if error.code == .notFound {
                    return KeysRevocationResult(key: key, outcome: .alreadyRevoked, attempts: attempt)
                }
                mayHaveLanded = mayHaveLanded || error.writeMayHaveTakenEffect
                guard attempt <= retries, let delay = delay(after: error, attempt: attempt) else {
                    let explained = Self.explained(error, as: authority)
                    guard mayHaveLanded else {
                        return KeysRevocationResult(key: key, outcome: .failed, attempts: attempt, error: explained.description)
                    }
                    return await settle(key, as: authority, attempts: attempt, lost: explained)
                }
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Every answer to the DELETEs was lost or an error that may follow the deletion: the key is
    /// read back, so the outcome says what GitLab holds, never a guess either way.
    private func settle(
        _ key: ProfileKey, as authority: Authority, attempts: Int, lost: GitLabError
    ) async -> KeysRevocationResult {
        let found: SSHKey?
        do {
            switch authority {
            case .owner: found = try await client.ownKey(id: key.id)
            case .administrator: found = try await client.key(id: key.id, ofUserID: key.owner.id)
            }
        } catch {
            let check = "whether GitLab deleted key \(key.id) (\(key.fingerprint)) of \(key.owner.username) is unknown: reading it back failed too (\(error)); check the profile, or run the command again"
            return KeysRevocationResult(key: key, outcome: .unknown, attempts: attempts, error: "\(lost); \(check)")
        }
        guard let found else { return KeysRevocationResult(key: key, outcome: .revoked, attempts: attempts) }
        guard found.id == key.id else {
            let check = "reading key \(key.id) back returned key \(found.id); whether it was deleted is unknown, check the profile"
            return KeysRevocationResult(key: key, outcome: .unknown, attempts: attempts, error: "\(lost); \(check)")
        }
        return KeysRevocationResult(
            key: key, outcome: .failed, attempts: attempts, error: "\(lost); the key is still on the profile")
    }

    /// A 403 on another user's key means the token is not an administrator's: say so.
    static func explained(_ error: GitLabError, as authority: Authority) -> GitLabError {
        guard authority == .administrator, error.code == .forbidden else { return error }
        return GitLabError(
            error.code, status: error.status, request: error.request, serverMessage: error.serverMessage,
            hint: "deleting another user's key needs an administrator's token (GitLab refused this one)")
    }

    /// The wait before repeating, or nil when the error is final.
    func delay(after error: GitLabError, attempt: Int) -> Duration? {
        let transient: Set<GitLabError.Code> = [.rateLimited, .serverError, .connectionDropped, .connectionFailed, .timeout]
        let retryableStatus = error.status.map { $0 == 429 || (500...599).contains($0) } ?? false
        guard transient.contains(error.code) || retryableStatus else { return nil }
        if let seconds = error.retryAfterSeconds {
            let wait = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
            return wait > maxRetryAfter ? nil : wait
        }
        let backoff = baseDelay * Double(1 << min(attempt - 1, 10))
        return backoff / 2 + (backoff / 2) * Double.random(in: 0...1)
    }
}
