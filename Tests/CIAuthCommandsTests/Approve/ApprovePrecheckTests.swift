import CIAuthCore
import Foundation
import GitLabSim
import SSHSig
import Testing

/// Before any touch, approve establishes with the user's token that the approval can succeed
/// (issue "check before the touch"): each refusal is named, says what to do, appears in `--json`,
/// exits 1, and leaves the key untouched (its signature counter unchanged) and the job manual.
@Suite("ciauth approve: checked before the touch")
struct ApprovePrecheckTests {
    /// Approves deploy job 9001 with `--yes --json` and checks the refusal came before the touch.
    static func expectRefused(
        _ world: ApproveWorld, reason: String, mentioning words: String, token: String = ApproveWorld.token,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let counter = world.key.authenticator.signatureCounter
        world.sim.clearRequests()
        let result = try await world.ciauth(
            ["approve", "9001", "--project", "acme/web", "--yes", "--json"] + world.serverArguments, token: token)
        #expect(result.status == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)",
            sourceLocation: sourceLocation)
        #expect(json["reason"] as? String == reason, "\(json)", sourceLocation: sourceLocation)
        #expect((json["message"] as? String)?.contains(words) == true, "\(json)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(words), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Touch your security key"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(world.key.authenticator.signatureCounter == counter, "no assertion was made", sourceLocation: sourceLocation)
        #expect(!world.apiRequests.contains { $0.hasSuffix("/play") }, "\(world.apiRequests)", sourceLocation: sourceLocation)
        #expect(world.sim.job(id: 9001)?.status == "manual", sourceLocation: sourceLocation)
    }

    /// Replaces alice's registered key with the same public key as `usage`, `expiresAt`.
    static func reregister(_ world: ApproveWorld, usage: String, expiresAt: String? = nil) throws {
        for key in try world.sim.keys(ofUser: "alice") { try world.sim.removeKey(id: key.id) }
        let line = try #require(try world.enrolledKeys().first).authorizedKeysLine()
        _ = try world.sim.addKey(
            SimSeed.SSHKey(title: "again", key: line, usageType: usage, createdAt: "2025-01-01T00:00:00Z", expiresAt: expiresAt),
            toUser: "alice")
    }

    @Test("a token without the api scope is refused before the touch (token-scope-missing)")
    func readOnlyToken() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try await Self.expectRefused(world, reason: "token-scope-missing", mentioning: "api scope", token: "alice-read")
            #expect(world.apiRequests == ["GET /api/v4/personal_access_tokens/self"], "the first check, before the jobs are read")
        }
    }

    @Test("a key the user revoked on their profile is never offered to the touch (unknown-key)")
    func revokedKey() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            for key in try world.sim.keys(ofUser: "alice") { try world.sim.removeKey(id: key.id) }
            try await Self.expectRefused(world, reason: "unknown-key", mentioning: "ciauth enroll")
        }
    }

    @Test("an expired key is refused before the touch (key-expired)")
    func expiredKey() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try Self.reregister(world, usage: "signing", expiresAt: "2025-06-01")
            try await Self.expectRefused(world, reason: "key-expired", mentioning: "has expired")
        }
    }

    @Test("a key registered for authentication only is refused before the touch (key-not-for-signing)")
    func authOnlyKey() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try Self.reregister(world, usage: "auth")
            try await Self.expectRefused(world, reason: "key-not-for-signing", mentioning: "authentication only")
        }
    }

    @Test("min_key_age of the committed policy: a fresh key is refused before the touch (key-too-new)")
    func keyTooNew() async throws {
        try await ApproveWorld.with(policy: "min_key_age: 7d\n") { world in
            try #require(try await world.enroll().status == 0)
            try await Self.expectRefused(world, reason: "key-too-new", mentioning: "at least 7d ago")
        }
    }

    @Test("a role below the project's minimum role for pipeline variables is refused before the touch")
    func variablesNotAllowed() async throws {
        try await ApproveWorld.with(variablesRole: "owner") { world in
            try #require(try await world.enroll().status == 0)
            try await Self.expectRefused(world, reason: "pipeline-variables-not-allowed", mentioning: "Minimum role to use pipeline variables")
        }
    }

    @Test("an approver the committed list leaves out is refused before the touch (approver-not-allowed)")
    func notListed() async throws {
        try await ApproveWorld.with(policy: "approvers: [bob, carol#7]\n") { world in
            try #require(try await world.enroll().status == 0)
            try await Self.expectRefused(world, reason: "approver-not-allowed", mentioning: "lets only bob, carol#7 approve")
        }
    }

    @Test("group rules: a member below min_access is refused before the touch (approver-not-member)")
    func notMember() async throws {
        let policy = "approver_groups:\n  - group: acme\n    min_access: owner\n"
        try await ApproveWorld.with(policy: policy) { world in
            try #require(try await world.enroll().status == 0)
            try await Self.expectRefused(world, reason: "approver-not-member", mentioning: "acme (owner+)")
        }
    }

    @Test("self-approval forbidden: the pipeline's creator is refused before the touch (self-approval)")
    func selfApproval() async throws {
        try await ApproveWorld.with(policy: "allow_self_approval: false\n") { world in
            try #require(try await world.enroll().status == 0)
            try await Self.expectRefused(world, reason: "self-approval", mentioning: "started pipeline 500")
        }
    }

    @Test("a committed .ciauth.yml verify cannot parse is refused before the touch (policy-file-invalid)")
    func invalidPolicy() async throws {
        try await ApproveWorld.with(policy: "approverz: [alice]\n") { world in
            try #require(try await world.enroll().status == 0)
            try await Self.expectRefused(world, reason: "policy-file-invalid", mentioning: "unknown key 'approverz'")
        }
    }

    @Test("another user's token would play, and the policy wants the approver to play: refused before the touch")
    func approverNotPlayer() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            try await Self.expectRefused(world, reason: "approver-not-player", mentioning: "requires the approver to play", token: "bob-token")
        }
    }

    @Test("allowed by list, group and policy: played as before, each check read once for 20 jobs")
    func allowedPlays() async throws {
        let policy = "approvers: [bob]\napprover_groups:\n  - group: acme\n    min_access: maintainer\nallow_self_approval: false\nmin_key_age: 1s\n"
        try await ApproveWorld.with(policy: policy) { world in
            try #require(try await world.enroll().status == 0)
            try world.sim.addPipeline(
                SimSeed.Pipeline(id: 640, ref: "main", sha: ApproveWorld.sha, user: "bob", jobs: [
                    SimSeed.Job(id: 6401, name: "deploy-a", status: "manual", when: "manual", script: "true"),
                    SimSeed.Job(id: 6402, name: "deploy-b", status: "manual", when: "manual", script: "true"),
                ]), toProject: 100)
            try await Task.sleep(for: .seconds(1.2))
            world.sim.clearRequests()
            let result = try await world.ciauth(
                ["approve", "640", "--project", "acme/web", "--all-manual", "--yes", "--environment", "none"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            let requests = world.apiRequests
            for once in [
                "GET /api/v4/personal_access_tokens/self", "GET /api/v4/projects/100/repository/files/.ciauth.yml/raw",
                "GET /api/v4/users/2/keys", "GET /api/v4/projects/100", "GET /api/v4/projects/100/pipelines/640",
                "GET /api/v4/groups/acme/members/all/2",
            ] {
                #expect(requests.filter { $0 == once }.count == 1, "\(once): \(requests)")
            }
            #expect(requests.filter { $0.hasSuffix("/play") }.count == 2)
        }
    }
}
