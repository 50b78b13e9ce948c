import Foundation
import GitLab

/// The group rules of a policy (`approver_groups` in `.ciauth.yml` and in the gate's policy):
/// the approver must be an active account and an active member of one of the groups with at
/// least the rule's access level. One implementation for `ciauth verify` and `ciauth gate`,
/// which differ only in how they name a failure.
struct ApproverGroupCheck {
    let rules: [RepositoryPolicy.GroupRule]

    /// A read GitLab did not answer: what was being read, and GitLab's error.
    struct ReadError: Error {
        let action: String
        let error: GitLabError
    }

    /// The report line of the first rule the approver meets; nil when none is met (an account
    /// GitLab does not list, that is not active, or whose id is not the statement's `approverID`
    /// — the username changed hands since signing — meets none).
    func firstRuleMet(by approver: String, id approverID: Int, client: GitLabClient) async throws(ReadError) -> String? {
        let user: GitLabUser?
        do {
            user = try await client.user(username: approver)
        } catch {
            throw ReadError(action: "looking up @\(approver)", error: error)
        }
        guard let user, user.isActive, user.id == approverID else { return nil }
        for rule in rules {
            let member: GitLabMember?
            do {
                member = try await client.member(of: .group(rule.group), userID: user.id)
            } catch {
                throw ReadError(action: "reading the members of \(rule.group)", error: error)
            }
            guard let member, rule.admits(member, now: Date()) else { continue }
            return "approver: @\(user.username) is \(member.accessLevel) of \(rule.group) (at least \(rule.minimumAccess.name) required)"
        }
        return nil
    }

    /// The groups as a reader sees them: `acme/release (maintainer+), …`.
    var groupsText: String {
        ApproverRules(approvers: nil, groupRules: rules).groupsDescription
    }

    /// Why the approver does not pass the rules, naming a listed-approver alternative when there is one.
    func notMemberExplanation(_ approver: String, listed: [String]?) -> String {
        "@\(approver) is not an active member of \(groupsText)" + (listed.map { " nor a listed approver (\($0.joined(separator: ", ")))" } ?? "")
    }

    /// GitLab's answers that mean the token may not read (rather than GitLab being unreachable).
    static let tokenRefusals: Set<GitLabError.Code> = [.unauthorized, .forbidden, .insufficientScope]
}
