import Foundation
import SSHSig

/// The approvers' registered security keys: from GitLab profiles (`GET /users/:name/keys`) or
/// from a pinned OpenSSH `allowed_signers` file.
public struct KeyRegistry: Hashable, Sendable {
    /// GitLab's `usage_type` of an SSH key.
    public enum Usage: String, Hashable, Sendable {
        case auth
        case signing
        case authAndSigning = "auth_and_signing"

        public var allowsSigning: Bool { self != .auth }
    }

    public struct Entry: Hashable, Sendable {
        /// The GitLab username the key belongs to (compared exactly).
        public var principal: String
        public var publicKey: SKPublicKey
        public var usage: Usage
        /// When the key was registered; nil when unknown (allowed_signers).
        public var createdAt: Date?
        /// The key is void from this instant on; nil when it never expires.
        public var expiresAt: Date?
        /// The key is void before this instant (allowed_signers `valid-after`).
        public var validAfter: Date?
        public var gitlabKeyID: Int?
        /// The GitLab user id of the key's owner, when the registry knows it (GitLab profiles);
        /// nil for allowed_signers, whose key-to-name mapping was fixed when it was written.
        public var ownerID: Int?

        public init(
            principal: String, publicKey: SKPublicKey, usage: Usage = .signing, createdAt: Date? = nil,
            expiresAt: Date? = nil, validAfter: Date? = nil, gitlabKeyID: Int? = nil, ownerID: Int? = nil
        ) {
            self.ownerID = ownerID
            self.principal = principal
            self.publicKey = publicKey
            self.usage = usage
            self.createdAt = createdAt
            self.expiresAt = expiresAt
            self.validAfter = validAfter
            self.gitlabKeyID = gitlabKeyID
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Keys of an allowed_signers file usable for approvals: one entry per literal principal;
    /// lines with pattern principals (`*`, `?`, `!`) or whose `namespaces=` excludes the approval
    /// namespace are left out. `valid-before` is inclusive in OpenSSH, hence the extra second.
    /// Times without a zone are in `localTimeZone`, by default the machine's, which is read only
    /// when such a time is present (reading it costs a short command much of its start).
    public init(allowedSigners: AllowedSigners, localTimeZone: TimeZone? = nil) {
        let zone = { localTimeZone ?? .current }
        entries = allowedSigners.entries.flatMap { line -> [Entry] in
            guard !line.principals.contains(where: { "*?!".contains($0) }),
                line.allows(namespace: ApprovalProtocol.namespace)
            else { return [] }
            return line.principals.split(separator: ",").map { principal in
                Entry(
                    principal: String(principal), publicKey: line.publicKey, usage: .signing,
                    expiresAt: line.validBefore.map { $0.date(localTimeZone: $0.isUTC ? .gmt : zone()).addingTimeInterval(1) },
                    validAfter: line.validAfter.map { $0.date(localTimeZone: $0.isUTC ? .gmt : zone()) })
            }
        }
    }

    /// The usable entry for `approver` (user `approverID`) and `key` at `now`, or the most
    /// specific rejection.
    func entry(for approver: String, id approverID: Int, key: SKPublicKey, now: Date, minimumKeyAge: Int64) throws -> Entry {
        let listed = entries.filter { $0.principal == approver && $0.publicKey == key }
        guard !listed.isEmpty else { throw unknownKeyRejection(approver: approver, key: key) }
        // A username freed by a rename can be taken by someone else: the id says who signed.
        if let owner = listed.compactMap(\.ownerID).first, owner != approverID {
            throw ApprovalRejection(
                .approverIDMismatch,
                "the approval names \(approver) as user \(approverID), but \(approver) is user \(owner) on GitLab: the username changed hands")
        }
        let signing = listed.filter { $0.usage.allowsSigning }
        guard !signing.isEmpty else {
            throw ApprovalRejection(.keyNotForSigning, "key \(key.fingerprint) of \(approver) is registered for authentication only")
        }
        let current = signing.filter { $0.expiresAt.map { now < $0 } ?? true }
        guard !current.isEmpty else {
            throw ApprovalRejection(.keyExpired, "key \(key.fingerprint) of \(approver) has expired")
        }
        let valid = current.filter { $0.validAfter.map { now >= $0 } ?? true }
        guard !valid.isEmpty else {
            throw ApprovalRejection(.keyNotYetValid, "key \(key.fingerprint) of \(approver) is not valid yet")
        }
        let oldest = valid.first { entry in
            minimumKeyAge <= 0 || entry.createdAt.map { now.timeIntervalSince($0) >= Double(minimumKeyAge) } ?? false
        }
        guard let oldest else {
            throw ApprovalRejection(
                .keyTooNew,
                "key \(key.fingerprint) of \(approver) was registered less than \(minimumKeyAge) s ago (or its age is unknown)")
        }
        return oldest
    }

    private func unknownKeyRejection(approver: String, key: SKPublicKey) -> ApprovalRejection {
        let owners = Set(entries.filter { $0.publicKey == key }.map(\.principal)).sorted()
        if !owners.isEmpty {
            return ApprovalRejection(
                .unknownKey, "key \(key.fingerprint) is registered to \(owners.joined(separator: ", ")), not to \(approver)")
        }
        return ApprovalRejection(.unknownKey, "key \(key.fingerprint) is not a registered key of \(approver)")
    }
}
