import Foundation
import GitLab

/// What the committed `.ciauth.yml` alone decides, with `ciauth verify`'s defaults for what it
/// leaves out. Verify starts from it and lets its flags replace parts (docs/verify.md); approve
/// can only know the file, so it checks against this.
public struct CommittedPolicy: Sendable, Equatable {
    public var approverRules: ApproverRules
    public var policy: ApprovalPolicy
    /// `approver_must_be_player`, default true (a bot playing someone's approval is opt-in).
    public var approverMustBePlayer: Bool

    public init(_ file: RepositoryPolicy?) {
        let file = file ?? RepositoryPolicy()
        approverRules = ApproverRules(approvers: file.approvers, groupRules: file.approverGroups)
        approverMustBePlayer = file.approverMustBePlayer ?? true
        var policy = ApprovalPolicy.default
        policy.requireUserVerification = file.requireUserVerification ?? false
        policy.allowSelfApproval = file.allowSelfApproval ?? true
        policy.allowedApprovers = approverRules.listDecidingAlone
        if let seconds = file.maximumAge { policy.maximumAge = seconds }
        if let seconds = file.minimumKeyAge { policy.minimumKeyAge = seconds }
        self.policy = policy
    }
}

/// Who may approve: the approver list and the group rules as verify applies them together.
/// Without group rules the list decides alone (`ApprovalPolicy.allowedApprovers`); with them, a
/// listed approver passes, and anyone else must be an active member of one of the groups.
public struct ApproverRules: Sendable, Equatable {
    /// `alice` or `alice#42` entries; nil: no list.
    public var approvers: [String]?
    public var groupRules: [RepositoryPolicy.GroupRule]

    public init(approvers: [String]?, groupRules: [RepositoryPolicy.GroupRule]) {
        self.approvers = approvers
        self.groupRules = groupRules
    }

    /// The list as the verifier's `allowedApprovers`: only when there are no group rules.
    public var listDecidingAlone: Set<String>? { groupRules.isEmpty ? approvers.map(Set.init) : nil }

    public func isListed(_ username: String, id: Int) -> Bool {
        approvers.map { ApproverList.allows(Set($0), username, id: id) } ?? false
    }

    /// `group (maintainer+), …` for messages.
    public var groupsDescription: String {
        groupRules.map { "\($0.group) (\($0.minimumAccess.name)+)" }.joined(separator: ", ")
    }
}

extension RepositoryPolicy.GroupRule {
    /// Whether a membership as GitLab shows it satisfies the rule: an active account, a membership
    /// that is neither awaiting (a user cap) nor past its `expires_at` (GitLab removes expired
    /// members only by a daily job), and the effective access level.
    public func admits(_ member: GitLabMember, now: Date) -> Bool {
        guard member.state == "active", member.membershipState.map({ $0 == "active" }) ?? true else { return false }
        if let expiry = member.expiresAt, expiry <= now { return false }
        return member.accessLevel.rawValue >= minimumAccess.rawValue
    }
}

extension RepositoryPolicy {
    /// Parses the committed bytes: UTF-8 text of at most 64 KiB.
    public static func parse(_ bytes: [UInt8], origin: String) throws(RepositoryPolicyError) -> RepositoryPolicy {
        guard bytes.count <= sizeLimit, let text = String(validating: bytes, as: UTF8.self) else {
            throw RepositoryPolicyError.unreadable(origin)
        }
        return try RepositoryPolicy(yaml: text)
    }

    public static let sizeLimit = 64 * 1024
}

extension ApprovalPolicy {
    /// GitLab usernames are unique regardless of case: "Alice" and "alice" are one person.
    public static func isSelfApproval(creator: String, approver: String) -> Bool {
        creator.lowercased() == approver.lowercased()
    }
}
