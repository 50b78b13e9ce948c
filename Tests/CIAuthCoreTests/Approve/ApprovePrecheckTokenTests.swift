import Foundation
import GitLab
import Testing

@testable import CIAuthCore

/// The token rules of the check before the touch, on tokens as GitLab describes them.
@Suite struct ApprovePrecheckTokenTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func token(scopes: [String] = ["api"], active: Bool = true, expiresIn seconds: TimeInterval? = nil) -> PersonalAccessToken {
        PersonalAccessToken(
            id: 1, name: "laptop", scopes: scopes, active: active, revoked: false, expiresAt: seconds.map { now.addingTimeInterval($0) },
            userID: 2)
    }

    static func reason(_ token: PersonalAccessToken) -> String? {
        let margin = ApprovePrecheckToken.margin(touchTimeout: .seconds(30))
        do {
            _ = try ApprovePrecheckToken.judge(token, now: now, margin: margin)
            return nil
        } catch let error as ApproveError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }

    @Test func namedReasons() {
        #expect(Self.reason(Self.token()) == nil)
        #expect(Self.reason(Self.token(expiresIn: 86_400)) == nil)
        #expect(Self.reason(Self.token(scopes: ["read_api", "read_user"])) == "token-scope-missing")
        #expect(Self.reason(Self.token(active: false)) == "token-unusable")
        #expect(Self.reason(Self.token(expiresIn: 0)) == "token-unusable")
        #expect(Self.reason(Self.token(expiresIn: 120)) == "token-expiring", "within the touch timeout plus five minutes")
        #expect(Self.reason(Self.token(expiresIn: 331)) == nil)
    }

    @Test func committedPolicyDefaultsAreVerifysDefaults() {
        let none = CommittedPolicy(nil)
        #expect(none.policy == ApprovalPolicy.default)
        #expect(none.approverMustBePlayer)
        var file = RepositoryPolicy()
        file.approvers = ["alice#2"]
        file.approverGroups = [RepositoryPolicy.GroupRule(group: "acme", minimumAccess: .maintainer)]
        let grouped = CommittedPolicy(file)
        #expect(grouped.policy.allowedApprovers == nil, "with group rules the list does not decide alone")
        #expect(grouped.approverRules.isListed("alice", id: 2) && !grouped.approverRules.isListed("alice", id: 3))
        #expect(ApproverRules(approvers: ["alice"], groupRules: []).listDecidingAlone == ["alice"])
    }
}
