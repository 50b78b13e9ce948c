import GitLab

/// The group rules of the policy: the approver must be a member of one of the groups with at
/// least the given access level. GitLab never accepts a job token on the Members API, so the read-only token
/// (`VerifyReadToken`) is used for the members requests.
struct VerifyMembership {
    let settings: VerifySettings
    let readToken: VerifyReadToken

    /// Returns the report line, or throws `approver-not-member` / `members-token-missing`.
    func check(_ approver: String) async throws(VerifyFailure) -> String {
        if let missing = readToken.missing {
            throw VerifyFailure(
                "members-token-missing", .policy,
                "the policy limits approvers to group members, but no token to read members is available: \(missing)",
                remedy: VerifyReadToken.remedy)
        }
        return try await readToken.withClient { (client) throws(VerifyFailure) -> String in
            try await check(approver, client)
        }
    }

    private func check(_ approver: String, _ client: GitLabClient) async throws(VerifyFailure) -> String {
        let user: GitLabUser?
        do {
            user = try await client.user(username: approver)
        } catch {
            throw failure("looking up @\(approver)", error)
        }
        if let user, user.isActive {
            for rule in settings.groupRules {
                if let line = try await check(user, rule, client) { return line }
            }
        }
        let groups = settings.approverRules.groupsDescription
        throw VerifyFailure(
            "approver-not-member", .policy,
            "@\(approver) is not an active member of \(groups)" + (settings.approvers.map { " nor a listed approver (\($0.joined(separator: ", ")))" } ?? ""),
            remedy: "ask a member of \(groups) to approve the job")
    }

    private func check(_ user: GitLabUser, _ rule: RepositoryPolicy.GroupRule, _ client: GitLabClient) async throws(VerifyFailure) -> String? {
        let member: GitLabMember?
        do {
            member = try await client.member(of: .group(rule.group), userID: user.id)
        } catch {
            throw failure("reading the members of \(rule.group)", error)
        }
        guard let member, rule.admits(state: member.state, accessLevel: member.accessLevel.rawValue) else { return nil }
        return "approver: @\(user.username) is \(member.accessLevel) of \(rule.group) (at least \(rule.minimumAccess.name) required)"
    }

    /// A read token GitLab refuses fails closed like a missing one (the policy cannot be
    /// evaluated, as for self-approval); anything else is GitLab being unreachable.
    private func failure(_ action: String, _ error: GitLabError) -> VerifyFailure {
        let refusals: Set<GitLabError.Code> = [.unauthorized, .forbidden, .insufficientScope]
        guard refusals.contains(error.code) else { return .gitlab("\(action) on \(settings.server)", error) }
        let variable = settings.readTokenVariable ?? "the read token variable"
        return VerifyFailure(
            "members-token-missing", .policy,
            "the policy limits approvers to group members, but \(settings.server) refused the token in \(variable) (\(action)): \(error)",
            remedy: VerifyReadToken.remedy)
    }
}
