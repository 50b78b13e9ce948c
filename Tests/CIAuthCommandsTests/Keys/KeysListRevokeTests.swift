import CIAuthCore
import Foundation
import GitLab
import GitLabSim
import Testing

/// `ciauth keys list` and `keys revoke` through the real binary against the simulator.
@Suite struct KeysListRevokeTests {
    @Test func listsAGroupAsTableAndJSON() async throws {
        let group = try KeysGroupSeed(memberCount: 200)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }

        let json = try await simulation.ciauth(["keys", "list", "--group", "acme", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let keys = try keysDecode([ProfileKey].self, json.stdout, member: "keys")
        try JSONShape.check(json.stdout, .keysList)
        #expect(Set(keys.map(\.fingerprint)) == Set(group.members.map(\.fingerprint)))
        let blocked = try #require(keys.first { $0.owner.username == "u000" })
        #expect(blocked.owner.state == "blocked" && blocked.owner.accessLevel == 30)
        #expect(blocked.type == "sk-ecdsa-sha2-nistp256@openssh.com" && blocked.usage == "signing")

        let all = try keysDecode([ProfileKey].self, await simulation.ciauth(["keys", "list", "--group", "acme", "--json", "--all-types"]).stdout, member: "keys")
        #expect(all.count == 200 + group.members.count { $0.plainKeyLine != nil })

        let table = try await simulation.ciauth(["keys", "list", "--group", "staff"])
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("OWNER") == true)
        #expect(lines.count == 1 + group.members.count { $0.category != .notInStaff })
        // Aligned: the fingerprint column starts at the same offset on every line.
        let offsets = Set(lines.compactMap { line in line.range(of: "SHA256:").map { line.distance(from: line.startIndex, to: $0.lowerBound) } })
        #expect(offsets.count == 1)
        #expect(lines.contains { $0.contains("u002") && $0.contains("Reporter") })
    }

    @Test func listsOwnAndOtherUsersKeys() async throws {
        let group = try KeysGroupSeed(memberCount: 8)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let own = try keysDecode([ProfileKey].self, await simulation.ciauth(["keys", "list", "--json"], token: "u006-token").stdout, member: "keys")
        #expect(own.map(\.fingerprint) == [group.members[6].fingerprint])
        let other = try keysDecode([ProfileKey].self, await simulation.ciauth(["keys", "list", "--user", "u004", "--json"]).stdout, member: "keys")
        #expect(other.map(\.fingerprint) == [group.members[4].fingerprint])
        let unknown = try await simulation.ciauth(["keys", "list", "--user", "nobody"])
        #expect(unknown.status == 1 && unknown.stderr.contains("user-not-found"))
    }

    /// A listing that shows the key to revoke twice, also under an id that is not its own (a
    /// proxy's stale or forged page): revoking by fingerprint deleted that id, found it gone (404)
    /// and reported the key already revoked while it stayed on the profile. The listing is refused.
    @Test func listingNamingAKeyTwiceRevokesNothing() async throws {
        let group = try KeysGroupSeed(memberCount: 8)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let member = group.members[7]
        let real = try #require(try simulation.sim.keys(ofUser: "u007").first)
        func entry(_ id: Int) -> String {
            #"{"id":\#(id),"title":"k","created_at":"2025-02-01T08:00:00.000Z","expires_at":null,"usage_type":"signing","key":"\#(member.keyLine)"}"#
        }
        // Another user's key id, lower than the real one: listings are read in id order.
        let listing = "[" + entry(real.id) + "," + entry(1) + "]"
        try simulation.sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/user/keys"), fault: .raw(bytes: Array(listing.utf8)))
        let result = try await simulation.ciauth(["keys", "revoke", "--yes", member.fingerprint, "--json"], token: "u007-token")
        #expect(result.status != 0, "\(result.stdout)")
        #expect(result.stderr.contains("twice"), "\(result.stderr)")
        #expect(!simulation.sim.requests.contains { $0.method == "DELETE" })
        #expect(try simulation.sim.keys(ofUser: "u007").count == 1)
    }

    @Test func revokesOwnAndOtherUsersKeys() async throws {
        let group = try KeysGroupSeed(memberCount: 8)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let ownKey = try #require(try simulation.sim.keys(ofUser: "u007").first)

        // No terminal and no --yes: refuse before touching anything.
        let refused = try await simulation.ciauth(["keys", "revoke", String(ownKey.id)], token: "u007-token")
        #expect(refused.status == 64 && refused.stderr.contains("--yes"))
        #expect(try simulation.sim.keys(ofUser: "u007").count == 1)

        let revoked = try await simulation.ciauth(["keys", "revoke", "--yes", String(ownKey.id), "--json"], token: "u007-token")
        #expect(revoked.status == 0, "\(revoked.stderr)")
        try JSONShape.check(revoked.stdout, .keysRevoke)
        #expect(try keysDecode([KeysRevocationResult].self, revoked.stdout, member: "results").map(\.outcome) == [.revoked])
        #expect(try simulation.sim.keys(ofUser: "u007").isEmpty)
        #expect(simulation.sim.requests.contains { $0.method == "DELETE" && $0.path == "/api/v4/user/keys/\(ownKey.id)" })

        // Someone else's key by fingerprint: an administrator may, another user may not.
        let target = group.members[5].fingerprint
        let notAdmin = try await simulation.ciauth(["keys", "revoke", "--yes", "--user", "u005", target], token: "u003-token")
        #expect(notAdmin.status == 1 && notAdmin.stdout.contains("failed"))
        #expect(try simulation.sim.keys(ofUser: "u005").count == 1)
        let admin = try await simulation.ciauth(["keys", "revoke", "--yes", "--user", "u005", target])
        #expect(admin.status == 0, "\(admin.stderr)")
        #expect(admin.stdout.contains("revoked") && admin.stdout.contains("u005"))
        #expect(try simulation.sim.keys(ofUser: "u005").isEmpty)

        // A key that is not yours is not found among your keys: nothing is deleted.
        let wrong = try await simulation.ciauth(["keys", "revoke", "--yes", group.members[4].fingerprint], token: "u003-token")
        #expect(wrong.status == 1 && wrong.stderr.contains("key-not-found"))
        #expect(try simulation.sim.keys(ofUser: "u004").count == 1)
        #expect(try await simulation.ciauth(["keys", "revoke", "--yes", "bogus"]).status == 64)
    }

    @Test func revokerCountsMissingKeyAsAlreadyRevoked() async throws {
        let group = try KeysGroupSeed(memberCount: 2)
        let simulation = try await KeysSimulation.start(group.seed)
        defer { Task { await simulation.stop() } }
        let key = try #require(try simulation.sim.keys(ofUser: "u001").first)
        let result = try await simulation.ciauth(["keys", "revoke", "--yes", "--user", "u001", String(key.id)])
        #expect(result.status == 0)
        // Same key again, in-process: GitLab's 404 means the work is already done.
        let client = try GitLabClient(server: try GitLabServer(simulation.sim.baseURL), credentials: .accessToken("root-token"))
        defer { Task { try? await client.shutdown() } }
        let owner = KeyOwner(id: 101, username: "u001", state: "active")
        let gone = ProfileKey(owner: owner, key: SSHKey(id: key.id, title: "t", key: group.members[1].keyLine, createdAt: nil, expiresAt: nil, usageType: .signing))
        let outcome = await KeysRevoker(client: client).revoke(gone, as: .administrator)
        #expect(outcome.outcome == .alreadyRevoked && outcome.attempts == 1)
    }
}
