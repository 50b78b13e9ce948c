import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// The approver's GitLab account: only active users approve, GitLab hides some states from
/// non-administrators, and instances that restrict Public visibility hide users from anonymous
/// visitors. Each test runs its own world, since it changes account states or instance settings.
@Suite struct VerifyAccountTests {
    static let readToken = ["--read-token-variable", "READ_TOKEN"]
    /// A bot (bob) plays alice's approval: the account check must not rest on who plays.
    static let botPlays = ["--no-approver-must-be-player"]

    /// Runs `body` with a fresh world and always closes it.
    static func withWorld(
        _ settings: SimSeed.Settings = SimSeed.Settings(), _ body: (VerifyWorld) async throws -> Void
    ) async throws {
        let world = try await VerifyWorld.start(settings: settings)
        do {
            try await body(world)
        } catch {
            try? await world.close()
            throw error
        }
        try await world.close()
    }

    @Test("a deactivated approver's approval, played by a bot, is refused as approver-inactive (exit 14)")
    func deactivatedApprover() async throws {
        try await Self.withWorld { world in
            try world.sim.setUserState(username: "alice", state: .deactivated)
            let job = try await approvedAndPlayed(world, flags: Self.botPlays, token: "bob-token")
            #expect(job.exitCode == Int(VerifyExit.policy), "\(job.log)")
            #expect(job.log.contains("error: approver-inactive: @alice's account on \(world.sim.baseURL) is deactivated: only active users approve"))
            #expect(job.log.contains("what to do: ask an active approver to approve job \(job.id)"))
            let audit = try String(contentsOf: world.auditFile(job: job.id), encoding: .utf8)
            #expect(audit.contains(#""reason":"approver-inactive""#))
        }
    }

    @Test("an approver pending approval is refused as approver-inactive, with the read token too")
    func pendingApprover() async throws {
        try await Self.withWorld { world in
            try world.sim.setUserState(username: "alice", state: .blockedPendingApproval)
            let job = try await approvedAndPlayed(
                world, flags: Self.botPlays + Self.readToken, token: "bob-token", variables: ["READ_TOKEN": "reader-token"])
            #expect(job.exitCode == Int(VerifyExit.policy), "\(job.log)")
            #expect(job.log.contains("error: approver-inactive: @alice's account on \(world.sim.baseURL) is blocked_pending_approval"))
        }
    }

    @Test("a blocked approver is hidden from anonymous lookups: approver-not-found says the account may be blocked (exit 13)")
    func blockedApproverAnonymously() async throws {
        try await Self.withWorld { world in
            for state in [SimSeed.UserState.blocked, .banned, .ldapBlocked] {
                try world.sim.setUserState(username: "alice", state: state)
                let job = try await approvedAndPlayed(world, flags: Self.botPlays, token: "bob-token")
                #expect(job.exitCode == Int(VerifyExit.unknownKey), "\(state): \(job.log)")
                #expect(job.log.contains(
                    "error: approver-not-found: \(world.sim.baseURL) lists no user @alice: no such user, or the account is blocked, banned or LDAP-blocked"))
                #expect(!job.log.contains("error: unknown-key"))
            }
        }
    }

    @Test("an administrator's read token sees the blocked state and names it (approver-inactive)")
    func blockedApproverSeenByAnAdministrator() async throws {
        try await Self.withWorld { world in
            try world.sim.setUserState(username: "alice", state: .blocked)
            let job = try await approvedAndPlayed(
                world, flags: Self.botPlays + Self.readToken, token: "bob-token", variables: ["READ_TOKEN": "root-token"])
            #expect(job.exitCode == Int(VerifyExit.policy), "\(job.log)")
            #expect(job.log.contains("error: approver-inactive: @alice's account on \(world.sim.baseURL) is blocked"))
            #expect(!job.log.contains("root-token"))
        }
    }

    @Test("on an instance that restricts Public visibility, verify reads users and keys with the read token")
    func restrictedVisibility() async throws {
        try await Self.withWorld(SimSeed.Settings(restrictedVisibilityLevels: ["public"])) { world in
            let anonymous = try await approvedAndPlayed(world)
            #expect(anonymous.exitCode == Int(VerifyExit.policy), "\(anonymous.log)")
            #expect(anonymous.log.contains(
                "error: approver-unreadable: \(world.sim.baseURL) does not show users to anonymous visitors, and there is no read token "
                    + "(no --read-token-variable is configured)"))
            #expect(anonymous.log.contains("what to do: store a read_api token"))

            // A read token named but not set in the job reads as none, and says so.
            let unset = try await approvedAndPlayed(world, flags: Self.readToken)
            #expect(unset.exitCode == Int(VerifyExit.policy), "\(unset.log)")
            #expect(unset.log.contains("there is no read token (the variable READ_TOKEN named by --read-token-variable is not set in this job)"))

            world.sim.clearRequests()
            let withToken = try await approvedAndPlayed(world, flags: Self.readToken, variables: ["READ_TOKEN": "reader-token"])
            #expect(withToken.exitCode == 0, "\(withToken.log)")
            #expect(withToken.log.contains("ok  account: @alice is active (read with the read token)"))
            #expect(world.sim.requests.contains { $0.path == "/api/v4/users/2/keys" && $0.status == 200 })
        }
    }
}
