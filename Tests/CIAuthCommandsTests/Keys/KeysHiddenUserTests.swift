import CIAuthCore
import Foundation
import Testing

/// `keys list --user` where GitLab hides accounts: blocked users are left out of user searches
/// for non-administrators, and instances that restrict Public visibility hide users and keys from
/// anonymous visitors (the token is then needed for another user's keys too).
@Suite struct KeysHiddenUserTests {
    static func seed(restrictPublic: Bool) throws -> [String: Any] {
        func user(_ id: Int, _ name: String, state: String = "active") throws -> [String: Any] {
            ["id": id, "username": name, "name": name.capitalized, "state": state, "tokens": ["\(name)-token"],
             "keys": [["title": name, "key": try KeysKeyLines.randomKeyLine(), "usage_type": "signing"]]]
        }
        var seed: [String: Any] = [
            "users": [
                ["id": 1, "username": "root", "name": "Root", "admin": true, "tokens": ["root-token"]],
                try user(2, "alice"), try user(3, "bob"), try user(4, "dave", state: "blocked"),
            ]
        ]
        if restrictPublic { seed["settings"] = ["restricted_visibility_levels": ["public"]] }
        return seed
    }

    @Test func aHiddenUserMayBeBlocked() async throws {
        let simulation = try await KeysSimulation.start(try Self.seed(restrictPublic: false))
        defer { Task { await simulation.stop() } }
        let hidden = try await simulation.ciauth(["keys", "list", "--user", "dave"], token: "alice-token")
        #expect(hidden.status == 1)
        #expect(hidden.stderr.contains("user-not-found"))
        #expect(hidden.stderr.contains("GitLab lists no user dave: no such user, or the account is blocked, banned or LDAP-blocked"))
        // An administrator's token lists the blocked account and its keys.
        let admin = try keysDecode([ProfileKey].self, await simulation.ciauth(["keys", "list", "--user", "dave", "--json"]).stdout, member: "keys")
        #expect(admin.count == 1)
    }

    @Test func anotherUsersKeysAreReadWithTheTokenOnARestrictedInstance() async throws {
        let simulation = try await KeysSimulation.start(try Self.seed(restrictPublic: true))
        defer { Task { await simulation.stop() } }
        let listed = try await simulation.ciauth(["keys", "list", "--user", "alice", "--json"], token: "bob-token")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(try keysDecode([ProfileKey].self, listed.stdout, member: "keys").map(\.owner.username) == ["alice"])
    }
}
