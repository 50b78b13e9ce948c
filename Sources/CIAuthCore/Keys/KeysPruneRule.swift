import Foundation
import GitLab
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One reason to revoke a key. A key is revoked when any given rule matches it.
public enum KeysPruneRule: Hashable, Sendable, CustomStringConvertible {
    /// GitLab's expiry date has passed.
    case expired
    /// Added more than this many seconds ago.
    case olderThan(seconds: Int64)
    /// The owner is not `active` (blocked, banned, deactivated, or any state GitLab adds).
    case ownerNotActive
    /// The owner is not a member of the group, or is one below `minimumAccess`.
    case notMemberOf(group: String, minimumAccess: GitLab.AccessLevel?)
    /// No accepted approval in the audit records since this many seconds ago, and added before that.
    case unusedSince(seconds: Int64)
    /// The title matches a shell glob (`fnmatch`).
    case titleMatches(glob: String)

    public var description: String {
        switch self {
        case .expired: "expired"
        case .olderThan(let seconds): "older-than \(seconds / 86400)d"
        case .ownerNotActive: "owner-blocked"
        case .notMemberOf(let group, let level):
            "not-member-of \(group)" + (level.map { " (min \($0.description.lowercased()))" } ?? "")
        case .unusedSince(let seconds): "unused-since \(seconds / 86400)d"
        case .titleMatches(let glob): "title-match \(glob)"
        }
    }
}

/// What the rules need besides the key itself, fetched once per run.
public struct KeysPruneFacts: Sendable {
    public var now: Date
    /// Members of each `--not-member-of` group, by user id.
    public var membership: [String: [Int: KeyOwner]]
    /// Last accepted approval per key fingerprint, from the audit records.
    public var lastUse: [String: Date]

    public init(now: Date, membership: [String: [Int: KeyOwner]] = [:], lastUse: [String: Date] = [:]) {
        self.now = now
        self.membership = membership
        self.lastUse = lastUse
    }
}

extension KeysPruneRule {
    /// Why the rule matches `key`, or nil when it does not.
    func match(_ key: ProfileKey, facts: KeysPruneFacts) -> String? {
        switch self {
        case .expired:
            guard let expiry = key.expiresAt, expiry <= facts.now else { return nil }
            return "expired: expired on \(KeysTime.day(expiry))"
        case .olderThan(let seconds):
            guard let created = key.createdAt, facts.now.timeIntervalSince(created) > Double(seconds) else { return nil }
            return "older-than: added \(KeysTime.day(created)), \(key.ageInDays(at: facts.now) ?? 0) days ago"
        case .ownerNotActive:
            guard key.owner.state != "active" else { return nil }
            return "owner-blocked: \(key.owner.username) is \(key.owner.state)"
        case .notMemberOf(let group, let minimum):
            return membershipMismatch(key, group: group, minimum: minimum, facts: facts)
        case .unusedSince(let seconds):
            return unused(key, seconds: seconds, facts: facts)
        case .titleMatches(let glob):
            guard fnmatch(glob, key.title, 0) == 0 else { return nil }
            return "title-match: title '\(key.title)' matches \(glob)"
        }
    }

    private func membershipMismatch(
        _ key: ProfileKey, group: String, minimum: GitLab.AccessLevel?, facts: KeysPruneFacts
    ) -> String? {
        guard let member = facts.membership[group]?[key.owner.id], let level = member.accessLevel else {
            return "not-member-of: \(key.owner.username) is not a member of \(group)"
        }
        guard let minimum, level < minimum.rawValue else { return nil }
        return "not-member-of: \(key.owner.username) is \(GitLab.AccessLevel(rawValue: level).description) in \(group), "
            + "below \(minimum.description)"
    }

    private func unused(_ key: ProfileKey, seconds: Int64, facts: KeysPruneFacts) -> String? {
        let cutoff = facts.now.addingTimeInterval(-Double(seconds))
        // A key added after the cutoff has not been unused for that long yet.
        if let created = key.createdAt, created > cutoff { return nil }
        guard let used = facts.lastUse[key.fingerprint] else {
            return "unused-since: no approval with this key in the audit records"
        }
        guard used < cutoff else { return nil }
        return "unused-since: last approval \(KeysTime.day(used))"
    }
}

/// Date formatting for reports: UTC calendar days and RFC 3339 instants.
public enum KeysTime {
    public static func day(_ date: Date) -> String {
        String(instant(date).prefix(10))
    }

    public static func instant(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
