import CIAuthTestSupport
import CIAuthCore
import Foundation
import SSHSig

/// A group whose members' keys fall into known categories, generated in the test, so that the
/// expected verdict of every prune rule is known independently of ciauth's code.
struct KeysGroupSeed {
    enum Category: Int, CaseIterable {
        case blocked, notInStaff, reporterInStaff, expired, old, tempTitle, usedRecently, unused
    }

    struct Member {
        let index: Int
        let username: String
        let category: Category
        let keyLine: String
        let fingerprint: String
        let plainKeyLine: String?
    }

    let members: [Member]
    /// Plain JSON for `SimSeed.decode`.
    let seed: [String: Any]

    init(memberCount: Int) throws {
        var members: [Member] = []
        for index in 0..<memberCount {
            let line = try KeysKeyLines.randomKeyLine()
            members.append(Member(
                index: index, username: String(format: "u%03d", index),
                category: Category(rawValue: index % Category.allCases.count) ?? .unused, keyLine: line,
                fingerprint: try SKPublicKey(authorizedKeysLine: line).fingerprint,
                plainKeyLine: index % 16 == 6 ? KeysKeyLines.plainKeyLine() : nil))
        }
        self.members = members
        seed = Self.seed(members)
    }

    private static func seed(_ members: [Member]) -> [String: Any] {
        var users: [[String: Any]] = [["id": 1, "username": "root", "name": "Administrator", "admin": true, "tokens": ["root-token"]]]
        var staff: [[String: Any]] = []
        for member in members {
            var keys: [[String: Any]] = [key(member)]
            if let plain = member.plainKeyLine {
                keys.append(["title": "laptop", "key": plain, "usage_type": "auth_and_signing", "created_at": KeysDates.instant(-30)])
            }
            users.append([
                "id": 100 + member.index, "username": member.username, "name": "User \(member.index)",
                "state": member.category == .blocked ? "blocked" : "active", "tokens": ["\(member.username)-token"], "keys": keys,
            ])
            if member.category != .notInStaff {
                staff.append(["user_id": 100 + member.index, "access_level": member.category == .reporterInStaff ? 20 : 30])
            }
        }
        let acme = members.map { ["user_id": 100 + $0.index, "access_level": 30] as [String: Any] }
        return [
            "users": users,
            "groups": [
                ["id": 10, "path": "acme", "members": acme],
                ["id": 20, "path": "staff", "members": staff],
            ],
        ]
    }

    private static func key(_ member: Member) -> [String: Any] {
        var key: [String: Any] = [
            "title": member.category == .tempTitle ? "temp-\(member.username)" : "yubikey-\(member.username)",
            "key": member.keyLine, "usage_type": "signing",
            "created_at": KeysDates.instant(member.category == .old ? -400 : -120),
            "expires_at": KeysDates.day(member.category == .expired ? -10 : 200),
        ]
        if member.category == .expired { key["created_at"] = KeysDates.instant(-200) }
        return key
    }

    /// Members whose key the standard rules revoke (all but the two "healthy" categories).
    var standardRevocations: Set<String> {
        Set(members.filter { ![.usedRecently, .unused].contains($0.category) }.map(\.fingerprint))
    }

    static let standardRules = [
        "--expired", "--older-than", "365d", "--owner-blocked", "--not-member-of", "staff", "--min-access", "developer",
        "--title-match", "temp-*",
    ]

    /// Audit records (one per line) of recent approvals with the keys of `usedRecently` members.
    var auditLines: String {
        members.filter { $0.category == .usedRecently }.map { member in
            #"{"approver":"\#(member.username)","format":"ciauth-audit-v1","keyFingerprint":"\#(member.fingerprint)","# +
                #""result":"accepted","toolVersion":"test","verifiedAt":"\#(KeysDates.instant(-10).prefix(19))Z"}"#
        }.joined(separator: "\n") + "\n"
    }
}
