@testable import CIAuthCore
import Testing

@Suite struct RepositoryPolicyTests {
    @Test func readsEveryKey() throws {
        let policy = try RepositoryPolicy(yaml: """
            server: https://gitlab.example.com
            project: acme/api
            approval_variable: CIAUTH_APPROVAL
            approvers: [alice, bob]
            approver_groups:
              - group: acme/release
                min_access: maintainer
            require_uv: true
            max_age: 1h
            min_key_age: 2d
            allow_self_approval: false
            approver_must_be_player: true
            read_token_variable: CIAUTH_READ_TOKEN
            """)
        #expect(policy.server == "https://gitlab.example.com")
        #expect(policy.project == "acme/api")
        #expect(policy.approvalVariable == "CIAUTH_APPROVAL")
        #expect(policy.approvers == ["alice", "bob"])
        #expect(policy.approverGroups == [.init(group: "acme/release", minimumAccess: .maintainer)])
        #expect(policy.requireUserVerification == true)
        #expect(policy.maximumAge == 3600)
        #expect(policy.minimumKeyAge == Int64(2 * 86400))
        #expect(policy.allowSelfApproval == false)
        #expect(policy.approverMustBePlayer == true)
        #expect(policy.readTokenVariable == "CIAUTH_READ_TOKEN")
    }

    @Test func emptyFileIsAnEmptyPolicy() throws {
        #expect(try RepositoryPolicy(yaml: "") == RepositoryPolicy())
    }

    @Test(arguments: [
        ("requre_uv: true", RepositoryPolicyError.unknownKey("requre_uv")),
        ("require_uv: yes", .wrongType("require_uv", "true or false")),
        ("max_age: 1 hour", .badDuration("max_age", "1 hour")),
        ("max_age: 0h", .badDuration("max_age", "0h")),
        ("max_age: 30m1h", .badDuration("max_age", "30m1h")),
        ("approvers: alice", .wrongType("approvers", "a list of strings")),
        ("approvers: [[alice]]", .wrongType("approvers", "a string")),
        ("approver_groups: [{group: g, min_access: god}]", .badAccessLevel("god")),
        ("approver_groups: [{group: g, role: owner}]", .unknownKey("approver_groups.role")),
        ("approver_groups: [{min_access: owner}]", .wrongType("approver_groups", "entries with a group")),
        ("- just\n- a list", .notAMapping("the file")),
        ("server: ''", .wrongType("server", "a string")),
        ("read_token_variable: [A]", .wrongType("read_token_variable", "a string")),
    ])
    func rejectsWhatItDoesNotUnderstand(_ yaml: String, _ expected: RepositoryPolicyError) {
        #expect(throws: expected) { try RepositoryPolicy(yaml: yaml) }
    }

    @Test func rejectsBrokenYAML() {
        #expect {
            try RepositoryPolicy(yaml: "server: [unclosed")
        } throws: { error in
            if case .syntax = error as? RepositoryPolicyError { return true }
            return false
        }
    }

    @Test func durations() {
        #expect(DurationText.positiveSeconds("90s") == 90)
        #expect(DurationText.positiveSeconds("15m") == 900)
        #expect(DurationText.positiveSeconds("180d") == Int64(180 * 86400))
        for bad in ["", "h", "-1h", "1.5h", "01h", "１h", "0s", "999999999999999d"] {
            #expect(DurationText.positiveSeconds(bad) == nil, "\(bad)")
        }
    }
}
