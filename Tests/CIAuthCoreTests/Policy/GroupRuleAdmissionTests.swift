@testable import CIAuthCore
import Foundation
import GitLab
import Testing

/// A group rule admits only a membership GitLab would honour now: active account, active (not
/// awaiting) membership, not past its expiry date, with the access level.
@Suite struct GroupRuleAdmissionTests {
    let rule = RepositoryPolicy.GroupRule(group: "acme/release", minimumAccess: .maintainer)
    let now = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28

    private func member(state: String = "active", membership: String? = "active", expires: String? = nil, level: Int = 40) throws -> GitLabMember {
        var object: [String: Any] = ["id": 2, "username": "alice", "name": "Alice", "state": state, "access_level": level]
        if let membership { object["membership_state"] = membership }
        object["expires_at"] = expires ?? NSNull()
        return try JSONDecoder().decode(GitLabMember.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test func anActiveMaintainerIsAdmitted() throws {
        #expect(rule.admits(try member(), now: now))
        #expect(rule.admits(try member(expires: "2026-06-01"), now: now))
        #expect(rule.admits(try member(membership: nil), now: now), "GitLab versions without membership_state")
    }

    @Test func awaitingExpiredBlockedOrTooLowIsNot() throws {
        #expect(!rule.admits(try member(membership: "awaiting"), now: now))
        #expect(!rule.admits(try member(expires: "2026-05-28"), now: now), "expires at the start of its date")
        #expect(!rule.admits(try member(expires: "2026-01-01"), now: now))
        #expect(!rule.admits(try member(state: "blocked"), now: now))
        #expect(!rule.admits(try member(level: 30), now: now))
    }
}
