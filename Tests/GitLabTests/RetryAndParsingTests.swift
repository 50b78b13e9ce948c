import Foundation
import Testing

@testable import GitLab

@Suite struct RetryAndParsingTests {
    @Test func retryAfterSecondsAndDates() throws {
        let now = try #require(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds(" 0 ", now: now) == 0)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == 30)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
        for bad in ["-1", "1.5", "soon", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "99999999999", ""] {
            #expect(RetryAfter.seconds(bad, now: now) == nil, "\(bad)")
        }
        #expect(now.timeIntervalSince1970 == 784_111_777)
    }

    @Test func backoffGrowsWithJitterAndCap() {
        let policy = RetryPolicy(maxRetries: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(1000))
        #expect(policy.backoff(attempt: 0, random: 0) == .milliseconds(50))
        #expect(policy.backoff(attempt: 0, random: 1) == .milliseconds(100))
        #expect(policy.backoff(attempt: 2, random: 1) == .milliseconds(400))
        #expect(policy.backoff(attempt: 10, random: 1) == .milliseconds(1000))
        #expect(policy.backoff(attempt: 10, random: 0) == .milliseconds(500))
        #expect(policy.delay(attempt: 0, retryAfterSeconds: 2) == .seconds(2))
        #expect(policy.delay(attempt: 0, retryAfterSeconds: 3600) == nil)
    }

    @Test func timestamps() throws {
        let date = try #require(ISO8601Timestamp.parse("2025-03-01T10:00:00.000Z"))
        #expect(date.timeIntervalSince1970 == 1_740_823_200)
        #expect(ISO8601Timestamp.parse("2025-03-01T11:00:00.000+01:00") == date)
        #expect(ISO8601Timestamp.parse("2025-03-01T10:00:00Z") == date)
        #expect(ISO8601Timestamp.parse("2025-03-01")?.timeIntervalSince1970 == 1_740_787_200)
        #expect(ISO8601Timestamp.parse("2025-03-01T10:00:00.5Z")?.timeIntervalSince1970 == 1_740_823_200.5)
        for bad in ["2025-02-30", "2025-03-01T10:00:00", "2025-03-01T25:00:00Z", "2025-3-1", "2025-03-01T10:00:00.Z", "2025-03-01T10:00:00Zjunk"] {
            #expect(ISO8601Timestamp.parse(bad) == nil, "\(bad)")
        }
        #expect(NewSSHKey.iso8601(date) == "2025-03-01T10:00:00Z")
    }

    @Test func linkHeader() {
        let value = #"<https://gl.example/api/v4/groups/1/members/all?page=2&per_page=100>; rel="next", <https://gl.example/api/v4/groups/1/members/all?page=1&per_page=100>; rel="first""#
        #expect(LinkHeader.next(value) == "https://gl.example/api/v4/groups/1/members/all?page=2&per_page=100")
        #expect(LinkHeader.next(#"<https://x/a>; rel="prev", <https://x/b>; rel="last""#) == nil)
        #expect(LinkHeader.next(#"<https://x/k?cursor=abc>; rel=next"#) == "https://x/k?cursor=abc")
        #expect(LinkHeader.next("garbage") == nil)
    }

    @Test func decodesModelsFromGitLabShapes() throws {
        let json = #"""
            {"id": 9001, "status": "manual", "stage": "deploy", "name": "deploy:prod", "ref": "main", "tag": false,
             "coverage": null, "allow_failure": false, "created_at": "2025-03-01T10:00:00.000Z",
             "started_at": null, "finished_at": null, "erased_at": null, "duration": null, "queued_duration": null,
             "user": {"id": 42, "username": "alice", "name": "Alice", "state": "active", "locked": false,
                      "avatar_url": "https://gl.example/a.png", "web_url": "https://gl.example/alice"},
             "commit": {"id": "3f9c1a2b", "short_id": "3f9c1a2b", "title": "Release 1.2"},
             "pipeline": {"id": 777, "iid": 12, "project_id": 5, "sha": "3f9c1a2b", "ref": "main", "status": "manual",
                          "source": "push", "web_url": "https://gl.example/g/p/-/pipelines/777"},
             "web_url": "https://gl.example/g/p/-/jobs/9001", "project": {"ci_job_token_scope_enabled": false},
             "artifacts": [], "runner": null, "archived": false, "tag_list": ["linux"], "brand_new_field": {"x": 1}}
            """#
        let job = try JSONDecoder().decode(GitLabJob.self, from: Data(json.utf8))
        #expect(job.status == .manual)
        #expect(job.projectID == 5)
        #expect(job.user?.username == "alice")

        let keys = #"[{"id": 77, "title": "yubikey", "created_at": "2025-02-01T08:00:00.000Z", "expires_at": null, "usage_type": "signing", "key": "sk-ssh-ed25519@openssh.com AAAA Alice (gl.example)"}, {"id": 78, "title": "x", "created_at": null, "expires_at": "2020-01-01T00:00:00.000Z", "usage_type": "future_kind", "key": "ssh-ed25519 BBBB c"}]"#
        let decoded = try JSONDecoder().decode([SSHKey].self, from: Data(keys.utf8))
        #expect(decoded[0].usageType.allowsSigning)
        #expect(decoded[0].publicKeyWithoutComment == "sk-ssh-ed25519@openssh.com AAAA")
        #expect(decoded[1].usageType == .unrecognized("future_kind") && !decoded[1].usageType.allowsSigning)
        #expect(decoded[1].isExpired(at: Date()))

        let badDate = #"[{"id": 1, "title": "t", "key": "k", "usage_type": "auth", "expires_at": "tomorrow"}]"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([SSHKey].self, from: Data(badDate.utf8)) }
    }

    @Test func playVariableRules() throws {
        try PlayVariable(key: "CIAUTH_APPROVAL", value: "x").validate()
        for bad in ["", "A-B", "A B", "É", String(repeating: "A", count: 256)] {
            #expect(throws: GitLabError.self) { try PlayVariable(key: bad, value: "x").validate() }
        }
        #expect(PlayVariable(key: "K", value: "secret-value").description == "K=[REDACTED]")
    }
}
