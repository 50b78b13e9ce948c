import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// `ciauth keys prune` when GitLab fails part of the way: read failures are retried, a member
/// whose keys stay unreadable is reported and spared, and an unreadable member list stops the run.
@Suite struct KeysPruneFailureTests {
    static let memberCount = 240
    static let arguments = ["keys", "prune", "--group", "acme", "--yes"] + KeysGroupSeed.standardRules + ["--json"]

    /// u000 (user 100, blocked: its key is otherwise revoked) cannot be read at all; u003's
    /// listing fails twice with 500, u004's is rate limited once, as is the member listing.
    static func injectReadFaults(_ sim: GitLabSimulator) throws {
        try sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/users/100/keys"), fault: .status(500))
        try sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/users/103/keys"), fault: .status(500), count: 2)
        try sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/users/104/keys"), fault: .status(429, retryAfter: 1), count: 1)
        try sim.setFault(
            route: SimRoute(method: "GET", path: "/api/v4/groups/acme/members/all"), fault: .status(429, retryAfter: 1), count: 1)
    }

    @Test func unreadableMemberIsReportedSparedAndPrunedOnRerun() async throws {
        let group = try KeysGroupSeed(memberCount: Self.memberCount)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let blocked = try #require(group.members.first { $0.username == "u000" })
        let healthy = try keysDecode(KeysPruneReport.self, try await simulation.ciauth(Self.arguments + ["--dry-run"]).stdout)
        #expect(healthy.plan.revoke.contains { $0.key.fingerprint == blocked.fingerprint })

        try Self.injectReadFaults(simulation.sim)
        simulation.sim.clearRequests()
        let started = ContinuousClock.now
        let dry = try await simulation.ciauth(Self.arguments + ["--dry-run"])
        #expect(ContinuousClock.now - started >= .seconds(1), "Retry-After: 1 was not waited")
        #expect(dry.status == 1, "an incomplete plan fails even a dry run: \(dry.stderr)")
        let dryReport = try keysDecode(KeysPruneReport.self, dry.stdout)
        #expect(dryReport.plan.unreadable.map(\.owner.username) == ["u000"])
        #expect(dryReport.plan.unreadable.first?.reason.hasPrefix("keys-unreadable: GitLab or a proxy in front of it failed; try again later (GET /api/v4/users/100/keys → 500") == true)
        #expect(dryReport.summary.unreadable == 1)
        // Everyone else's verdict is the fault-free one; u000's key is neither kept nor revoked.
        #expect(dryReport.plan.revoke == healthy.plan.revoke.filter { $0.key.owner.username != "u000" })
        #expect(dryReport.plan.keep == healthy.plan.keep.filter { $0.key.owner.username != "u000" })
        let requests = simulation.sim.requests
        func statuses(_ path: String) -> [Int?] { requests.filter { $0.path == path }.map(\.status) }
        #expect(statuses("/api/v4/users/100/keys") == [500, 500, 500, 500])
        #expect(statuses("/api/v4/users/103/keys") == [500, 500, 200])
        #expect(statuses("/api/v4/users/104/keys") == [429, 200])
        #expect(statuses("/api/v4/groups/acme/members/all").first == 429)

        simulation.sim.clearFaults()
        try Self.injectReadFaults(simulation.sim)
        simulation.sim.clearRequests()
        let real = try await simulation.ciauth(Self.arguments)
        #expect(real.status == 1, "\(real.stderr)")
        let report = try keysDecode(KeysPruneReport.self, real.stdout)
        #expect(report.plan == dryReport.plan)
        #expect(report.results.count == report.plan.revoke.count && report.results.allSatisfy { $0.outcome == .revoked })
        #expect(!simulation.sim.requests.contains { $0.method == "DELETE" && $0.path.hasPrefix("/api/v4/users/100/") })
        #expect(try simulation.sim.keys(ofUser: "u000").map(\.fingerprintSha256).contains(blocked.fingerprint))

        simulation.sim.clearFaults()
        let recovered = try await simulation.ciauth(Self.arguments)
        #expect(recovered.status == 0, "\(recovered.stderr)")
        let second = try keysDecode(KeysPruneReport.self, recovered.stdout)
        #expect(second.plan.unreadable.isEmpty)
        #expect(second.plan.revoke.map(\.key.fingerprint) == [blocked.fingerprint])
        #expect(second.results.map(\.outcome) == [.revoked])

        simulation.sim.clearRequests()
        let again = try await simulation.ciauth(Self.arguments)
        #expect(again.status == 0, "\(again.stderr)")
        let third = try keysDecode(KeysPruneReport.self, again.stdout)
        #expect(third.plan.revoke.isEmpty && third.results.isEmpty && third.summary.kept == healthy.summary.kept)
        #expect(!simulation.sim.requests.contains { $0.method == "DELETE" })
    }

    @Test func unreadableMemberInTheTable() async throws {
        let group = try KeysGroupSeed(memberCount: 16)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        try simulation.sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/users/100/keys"), fault: .status(503))
        let result = try await simulation.ciauth(["keys", "prune", "--group", "acme", "--expired", "--yes"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("revoked          u003"), "\(result.stdout)")
        let row = result.stdout.split(separator: "\n").first { $0.hasPrefix("keys-unreadable  u000 ") }
        #expect(row?.split(separator: " ").prefix(5) == ["keys-unreadable", "u000", "-", "-", "-"], "\(result.stdout)")
        #expect(row?.contains("  keys-unreadable: GitLab or a proxy in front of it failed; try again later (GET /api/v4/users/100/keys → 503") == true)
        #expect(result.stderr.contains("1 member(s) whose keys could not be read (keys-unreadable)"), "\(result.stderr)")
    }

    @Test(arguments: ["/api/v4/groups/acme/members/all", "/api/v4/groups/staff/members/all"])
    func unreadableMemberListStopsBeforeRevoking(_ path: String) async throws {
        let group = try KeysGroupSeed(memberCount: 16)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        try simulation.sim.setFault(route: SimRoute(method: "GET", path: path), fault: .status(500))
        let result = try await simulation.ciauth(Self.arguments)
        #expect(result.status == 16, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("GET \(path) → 500"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was revoked"), "\(result.stderr)")
        #expect(simulation.sim.requests.filter { $0.path == path }.count == 4)
        #expect(!simulation.sim.requests.contains { $0.method == "DELETE" })
    }

    @Test func failedSecondPageOfMembersStopsBeforeRevoking() async throws {
        let group = try KeysGroupSeed(memberCount: Self.memberCount)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let members = "/api/v4/groups/acme/members/all"
        try simulation.sim.setFault(route: SimRoute(method: "GET", path: members, query: ["page=2"]), fault: .status(502))
        let result = try await simulation.ciauth(Self.arguments)
        #expect(result.status == 16, "\(result.stderr)")
        #expect(result.stderr.contains("GET \(members) → 502"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was revoked"), "\(result.stderr)")
        let pages = simulation.sim.requests.filter { $0.path == members }.map(\.status)
        #expect(pages == [200, 502, 502, 502, 502])
        #expect(!simulation.sim.requests.contains { $0.method == "DELETE" || $0.path.hasSuffix("/keys") })
    }

    @Test func deleteWhoseAnswerIsLostIsRepeatedAndFoundDone() async throws {
        let group = try KeysGroupSeed(memberCount: 32)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        // GitLab deletes the key, then the connection drops: the repeated DELETE meets 404.
        try simulation.sim.setFault(
            route: SimRoute(method: "DELETE", path: "/api/v4/users/*/keys/*"), fault: .dropAfterEffect, count: 2)
        let result = try await simulation.ciauth(Self.arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try keysDecode(KeysPruneReport.self, result.stdout)
        let repeated = report.results.filter { $0.outcome == .alreadyRevoked }
        #expect(repeated.count == 2 && repeated.allSatisfy { $0.attempts == 2 })
        #expect(report.summary.revoked + report.summary.alreadyRevoked == group.standardRevocations.count)
        let deletes = simulation.sim.requests.filter { $0.method == "DELETE" }.map(\.status)
        #expect(deletes.count { $0 == nil } == 2 && deletes.count { $0 == 404 } == 2)
        let remaining = try group.members.flatMap { try simulation.sim.keys(ofUser: $0.username) }.map(\.fingerprintSha256)
        #expect(Set(remaining).isDisjoint(with: group.standardRevocations))
    }
}
