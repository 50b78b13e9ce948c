import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// `ciauth keys prune` through the real binary against the simulator, over a generated group.
@Suite struct KeysPruneTests {
    static let memberCount = 240

    @Test func dryRunEqualsRealRunAndRerunIsNoOp() async throws {
        let group = try KeysGroupSeed(memberCount: Self.memberCount)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let audit = try simulation.file("audit.jsonl", group.auditLines)
        let arguments = ["keys", "prune", "--group", "acme", "--yes"] + KeysGroupSeed.standardRules
            + ["--unused-since", "90d", "--audit", audit, "--json"]
        // Every rule's victims, and the keys of `unused` members; only recently used keys stay.
        let used = Set(group.members.filter { $0.category == .usedRecently }.map(\.fingerprint))
        let revocations = Set(group.members.map(\.fingerprint)).subtracting(used)

        let dry = try await simulation.ciauth(arguments + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let dryReport = try keysDecode(KeysPruneReport.self, dry.stdout)
        try JSONShape.check(dry.stdout, .keysPrune)
        #expect(Set(dryReport.plan.revoke.map(\.key.fingerprint)) == revocations)
        #expect(Set(dryReport.plan.keep.map(\.key.fingerprint)) == used)
        #expect(dryReport.results.isEmpty)
        #expect(!simulation.sim.requests.contains { $0.method == "DELETE" })
        // At most one key listing per member, plus the two member listings' pages.
        let gets = simulation.sim.requests.filter { $0.method == "GET" }
        #expect(gets.count <= Self.memberCount + 2 * 3)
        #expect(gets.filter { $0.path.hasSuffix("/keys") }.count == Self.memberCount)
        simulation.sim.clearRequests()

        let real = try await simulation.ciauth(arguments)
        #expect(real.status == 0, "\(real.stderr)")
        let report = try keysDecode(KeysPruneReport.self, real.stdout)
        #expect(report.plan == dryReport.plan)
        #expect(report.results.allSatisfy { $0.outcome == .revoked })
        #expect(report.summary.revoked == revocations.count)
        #expect(simulation.sim.requests.filter { $0.method == "DELETE" }.count == revocations.count)
        let remaining = try group.members.flatMap { try simulation.sim.keys(ofUser: $0.username) }.map(\.fingerprintSha256)
        #expect(Set(remaining).isDisjoint(with: revocations))
        #expect(remaining.count == used.count + group.members.count { $0.plainKeyLine != nil })

        let again = try await simulation.ciauth(arguments)
        #expect(again.status == 0)
        let rerun = try keysDecode(KeysPruneReport.self, again.stdout)
        #expect(rerun.plan.revoke.isEmpty && rerun.results.isEmpty)
    }

    @Test func reasonsNameEveryMatchingRule() async throws {
        let group = try KeysGroupSeed(memberCount: 16)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let result = try await simulation.ciauth(
            ["keys", "prune", "--group", "acme", "--dry-run", "--json"] + KeysGroupSeed.standardRules)
        let plan = try keysDecode(KeysPruneReport.self, result.stdout).plan
        func reasons(_ category: KeysGroupSeed.Category) -> [String] {
            let fingerprint = group.members.first { $0.category == category }?.fingerprint
            return plan.revoke.first { $0.key.fingerprint == fingerprint }?.reasons ?? []
        }
        #expect(reasons(.blocked).contains { $0.hasPrefix("owner-blocked:") })
        #expect(reasons(.notInStaff) == ["not-member-of: u001 is not a member of staff"])
        #expect(reasons(.reporterInStaff) == ["not-member-of: u002 is Reporter in staff, below Developer"])
        #expect(reasons(.expired).first?.hasPrefix("expired:") == true)
        #expect(reasons(.old).first?.hasPrefix("older-than:") == true)
        #expect(reasons(.tempTitle) == ["title-match: title 'temp-u005' matches temp-*"])
        // Plain SSH keys are left alone unless --all-types.
        #expect(!plan.keep.contains { !$0.key.isSecurityKey })

        let table = try await simulation.ciauth(["keys", "prune", "--group", "acme", "--dry-run", "--expired"])
        #expect(table.stdout.hasPrefix("ACTION"))
        #expect(table.stdout.contains("would-revoke  u003"))
        #expect(table.stderr.contains("dry run: 2 key(s) would be revoked"))
    }

    @Test func unusedSinceUsesAuditRecords() async throws {
        let group = try KeysGroupSeed(memberCount: 24)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let audit = try simulation.file("audit.jsonl", group.auditLines)
        let result = try await simulation.ciauth(
            ["keys", "prune", "--group", "acme", "--dry-run", "--json", "--unused-since", "90d", "--audit", audit])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try keysDecode(KeysPruneReport.self, result.stdout).plan
        let used = Set(group.members.filter { $0.category == .usedRecently }.map(\.fingerprint))
        #expect(Set(plan.keep.map(\.key.fingerprint)) == used)
        #expect(plan.revoke.count == 24 - used.count)

        let missing = try await simulation.ciauth(["keys", "prune", "--group", "acme", "--unused-since", "90d", "--yes"])
        #expect(missing.status == 64)
    }

    @Test func serverErrorsAreRetriedAndFailuresReported() async throws {
        let group = try KeysGroupSeed(memberCount: 32)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let deleteRoute = SimRoute(method: "DELETE", path: "/api/v4/users/*/keys/*")
        try simulation.sim.setFault(route: deleteRoute, fault: .status(500), count: 3)
        try simulation.sim.setFault(route: deleteRoute, fault: .status(429, retryAfter: 1), count: 2)
        // One member's key keeps failing: a permanent refusal (not retried) for user 103.
        try simulation.sim.setFault(route: SimRoute(method: "DELETE", path: "/api/v4/users/103/keys/*"), fault: .status(403))
        let arguments = ["keys", "prune", "--group", "acme", "--json", "--yes"] + KeysGroupSeed.standardRules

        let first = try await simulation.ciauth(arguments)
        #expect(first.status == 1, "\(first.stderr)")
        let report = try keysDecode(KeysPruneReport.self, first.stdout)
        let failed = report.results.filter { $0.outcome == .failed }
        #expect(failed.map(\.key.owner.username) == ["u003"])
        #expect(failed.first?.error?.contains("403") == true)
        #expect(failed.first?.error?.hasPrefix("deleting another user's key needs an administrator's token") == true)
        #expect(report.summary.revoked == report.plan.revoke.count - 1)
        #expect(report.results.contains { $0.attempts > 1 })
        let statuses = simulation.sim.requests.filter { $0.method == "DELETE" }.compactMap(\.status)
        #expect(statuses.filter { $0 == 500 }.count == 3 && statuses.filter { $0 == 429 }.count == 2)

        simulation.sim.clearFaults()
        let second = try await simulation.ciauth(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        let retry = try keysDecode(KeysPruneReport.self, second.stdout)
        #expect(retry.plan.revoke.map(\.key.owner.username) == ["u003"])
        #expect(retry.results.map(\.outcome) == [.revoked])
    }

    @Test func usageErrors() async throws {
        let simulation = try await KeysSimulation.start(try KeysGroupSeed(memberCount: 1).seed)
        defer { Task { await simulation.stop() } }
        #expect(try await simulation.ciauth(["keys", "prune", "--group", "acme"]).status == 64)
        #expect(try await simulation.ciauth(["keys", "prune", "--group", "acme", "--older-than", "soon"]).status == 64)
        #expect(try await simulation.ciauth(["keys", "prune", "--group", "acme", "--expired", "--min-access", "developer"]).status == 64)
        let gone = try await simulation.ciauth(["keys", "prune", "--group", "nope", "--expired", "--yes"])
        #expect(gone.status == 16)
    }
}
