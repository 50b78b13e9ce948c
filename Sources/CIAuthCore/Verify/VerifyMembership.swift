import GitLab

/// The group rules of the policy: the approver must be a member of one of the groups with at
/// least the given access level. GitLab never accepts a job token on the Members API, so the read-only token
/// (`VerifyReadToken`) is used for the members requests.
struct VerifyMembership {
    let settings: VerifySettings
    let readToken: VerifyReadToken

    /// Returns the report line, or throws `approver-not-member` / `members-token-missing`.
    func check(_ approver: String, id approverID: Int) async throws(VerifyFailure) -> String {
        if let missing = readToken.missing {
            throw VerifyFailure(
                "members-token-missing", .policy,
                "the policy limits approvers to group members, but no token to read members is available: \(missing)",
                remedy: VerifyReadToken.remedy)
        }
        return try await readToken.withClient { (client) throws(VerifyFailure) -> String in
            try await check(approver, approverID, client)
        }
    }

    private func check(_ approver: String, _ approverID: Int, _ client: GitLabClient) async throws(VerifyFailure) -> String {
        let rules = ApproverGroupCheck(rules: settings.groupRules)
        let line: String?
        do throws(ApproverGroupCheck.ReadError) {
            line = try await rules.firstRuleMet(by: approver, id: approverID, client: client)
        } catch {
            throw failure(error.action, error.error)
        }
        if let line { return line }
        throw VerifyFailure(
            "approver-not-member", .policy, rules.notMemberExplanation(approver, listed: settings.approvers),
            remedy: "ask a member of \(rules.groupsText) to approve the job")
    }

    /// A read token GitLab refuses fails closed like a missing one (the policy cannot be
    /// evaluated, as for self-approval); anything else is GitLab being unreachable.
    private func failure(_ action: String, _ error: GitLabError) -> VerifyFailure {
        guard ApproverGroupCheck.tokenRefusals.contains(error.code) else { return .gitlab("\(action) on \(settings.server)", error) }
        let variable = settings.readTokenVariable ?? "the read token variable"
        return VerifyFailure(
            "members-token-missing", .policy,
            "the policy limits approvers to group members, but \(settings.server) refused the token in \(variable) (\(action)): \(error)",
            remedy: VerifyReadToken.remedy)
    }
}
