import Foundation
import GitLab

/// `keys prune`: what to look at, which rules, and whether to act.
public struct KeysPruneRequest: Sendable {
    public var group: String
    public var rules: [KeysPruneRule]
    /// ApprovalAuditRecord files for `unusedSince`.
    public var auditFiles: [String]
    /// Also consider keys that are not security signing keys.
    public var allTypes: Bool
    public var dryRun: Bool
    public var concurrency: Int

    public init(
        group: String, rules: [KeysPruneRule], auditFiles: [String] = [], allTypes: Bool = false, dryRun: Bool = false,
        concurrency: Int = 8
    ) {
        self.group = group
        self.rules = rules
        self.auditFiles = auditFiles
        self.allTypes = allTypes
        self.dryRun = dryRun
        self.concurrency = concurrency
    }
}

/// Scripted revocation of stale keys in a group (needs an administrator token to revoke).
public struct KeysPrune: Sendable {
    public var client: GitLabClient
    public var revoker: KeysRevoker

    public init(client: GitLabClient, revoker: KeysRevoker? = nil) {
        self.client = client
        self.revoker = revoker ?? KeysRevoker(client: client)
    }

    /// Builds the plan: group members (one listing), each member's keys (one listing each),
    /// other groups' members for `notMemberOf`, and the audit records for `unusedSince`.
    ///
    /// Fails closed: any member listing or audit file that cannot be read completely throws, as
    /// a partial list could make a member look like a non-member. A member whose own key listing
    /// fails is only marked unreadable (`keys-unreadable`): none of their keys is planned.
    public func plan(_ request: KeysPruneRequest, now: Date = Date()) async throws -> KeysPrunePlan {
        let inventory = KeysInventory(client: client, concurrency: request.concurrency)
        let survey = try await inventory.survey(of: .group(request.group))
        let keys = survey.keys.filter { request.allTypes || $0.isSecuritySigningKey }
        let unreadable = survey.unreadable.map {
            KeysPrunePlan.Unreadable(owner: $0.owner, reason: "keys-unreadable: \($0.error.description)")
        }
        var facts = KeysPruneFacts(now: now)
        for case .notMemberOf(let group, _) in request.rules where facts.membership[group] == nil {
            facts.membership[group] = try await inventory.members(of: group)
        }
        if request.rules.contains(where: { if case .unusedSince = $0 { true } else { false } }) {
            facts.lastUse = try AuditRecordFiles.lastUse(in: request.auditFiles)
        }
        return KeysPrunePlan(group: request.group, keys: keys, rules: request.rules, facts: facts, unreadable: unreadable)
    }

    /// Plans, then (unless a dry run) revokes every planned key once `confirm` agrees to the plan
    /// (asked only when there is something to revoke).
    public func run(
        _ request: KeysPruneRequest, now: Date = Date(), confirm: @Sendable (KeysPrunePlan) async -> Bool = { _ in true }
    ) async throws -> KeysPruneReport {
        let plan = try await plan(request, now: now)
        guard !request.dryRun else { return KeysPruneReport(dryRun: true, plan: plan, results: []) }
        if !plan.revoke.isEmpty, !(await confirm(plan)) { throw KeysError(.declined, "nothing was revoked") }
        let results = await revoker.revoke(plan.revoke.map(\.key), as: .administrator)
        return KeysPruneReport(dryRun: false, plan: plan, results: results)
    }
}
