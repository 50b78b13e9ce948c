import Foundation
import GitLabSim
import Testing

/// `ciauth keys prune --not-member-of` while the group's membership changes between two page
/// reads. GitLab's offset pagination (and the simulator's) reads the live table: a member removed
/// from page 1 after it was served moves the first member of page 2 onto page 1, where nobody
/// reads it. That member must not look like a non-member whose keys are revoked.
@Suite struct KeysPruneListingChangeTests {
    static let memberCount = 150

    static func seed(keyLines: [String]) -> [String: Any] {
        var users: [[String: Any]] = [["id": 1, "username": "root", "name": "Administrator", "admin": true, "tokens": ["root-token"]]]
        var members: [[String: Any]] = []
        for (index, line) in keyLines.enumerated() {
            let key: [String: Any] = [
                "title": "yubikey", "key": line, "usage_type": "signing",
                "created_at": KeysDates.instant(-30), "expires_at": KeysDates.day(200),
            ]
            users.append(["id": 100 + index, "username": String(format: "u%03d", index), "name": "User \(index)", "keys": [key]])
            members.append(["user_id": 100 + index, "access_level": 30])
        }
        return ["users": users, "groups": [["id": 10, "path": "acme", "members": members], ["id": 20, "path": "staff", "members": members]]]
    }

    @Test func memberShiftedOffAPageIsNotRevoked() async throws {
        let keyLines = try (0..<Self.memberCount).map { _ in try KeysKeyLines.randomKeyLine() }
        let simulation = try await KeysSimulation.start(Self.seed(keyLines: keyLines))
        defer { Task { await simulation.stop() } }
        let staff = "/api/v4/groups/staff/members/all"
        // Page 2 of staff waits two seconds before it is computed; u000 leaves staff meanwhile.
        try simulation.sim.setFault(route: SimRoute(method: "GET", path: staff, query: ["page=2"]), fault: .delay(milliseconds: 2000), count: 1)
        let run = Task {
            try await simulation.ciauth(["keys", "prune", "--group", "acme", "--not-member-of", "staff", "--yes", "--json"])
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while !simulation.sim.requests.contains(where: { $0.path == staff && $0.status == 200 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try simulation.sim.setMembership(groupId: 20, userId: 100, accessLevel: 0)
        let result = try await run.value
        #expect(result.status == 0, "\(result.stderr)")

        let deletions = simulation.sim.requests.filter { $0.method == "DELETE" }.map(\.path)
        #expect(deletions.count == 1 && deletions.first?.hasPrefix("/api/v4/users/100/keys/") == true, "\(deletions)")
        #expect(try simulation.sim.keys(ofUser: "u100").count == 1, "u100 is still in staff; its key stays")
        #expect(try simulation.sim.keys(ofUser: "u000").isEmpty)
        // The listing was read again once it was seen to have changed.
        #expect(simulation.sim.requests.filter { $0.path == staff }.count >= 4)
    }
}
