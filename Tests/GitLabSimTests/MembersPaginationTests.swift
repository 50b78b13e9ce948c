import Foundation
import GitLabSim
import Testing

/// Effective members (§4), offset pagination headers (§7.3) and deployments (§5).
@Suite struct MembersPaginationTests {
    static let memberFields = [
        "id", "username", "name", "state", "locked", "avatar_url", "web_url", "access_level", "created_at",
        "created_by", "expires_at", "membership_state",
    ]

    @Test func projectMembersIncludeInheritedWithHighestLevel() async throws {
        try await withSimulator { _, http in
            let response = try await http.get("/api/v4/projects/acme%2Fplatform%2Fdeployer/members/all", token: "bob-token")
            #expect(response.status == 200)
            let members = try #require(response.json?.arrayValue)
            let levels = Dictionary(uniqueKeysWithValues: members.compactMap { m in m["username"]?.stringValue.map { ($0, m["access_level"]?.intValue ?? 0) } })
            #expect(levels == ["alice": 40, "bob": 30, "carol": 20, "dave": 30])
            #expect(Set(members.first?.keys ?? []) == Set(Self.memberFields))
            #expect(members.first { $0["username"]?.stringValue == "dave" }?["state"]?.stringValue == "blocked")
            let one = try await http.get("/api/v4/projects/100/members/all/2", token: "bob-token")
            #expect(one.json?["access_level"]?.intValue == 40)
            let none = try await http.get("/api/v4/projects/100/members/all/7", token: "bob-token")
            #expect(none.status == 404)
        }
    }

    @Test func groupMembersAndVisibility() async throws {
        try await withSimulator { simulator, http in
            let sub = try await http.get("/api/v4/groups/acme%2Fplatform/members/all", token: "bob-token")
            #expect(sub.json?.arrayValue?.compactMap { $0["username"]?.stringValue } == ["alice", "bob", "dave"])
            let top = try await http.get("/api/v4/groups/10/members/all", token: "alice-token")
            #expect(top.json?.arrayValue?.count == 2)
            #expect(try await http.get("/api/v4/groups/10/members/all", token: "mallory-token").status == 404)
            #expect(try await http.get("/api/v4/groups/10/members/all").status == 404)
            try simulator.setMembership(groupId: 10, userId: 7, accessLevel: 10)
            #expect(try await http.get("/api/v4/groups/10/members/all", token: "mallory-token").status == 200)
            let query = try await http.get("/api/v4/groups/11/members/all?query=ALI", token: "bob-token")
            #expect(query.json?.arrayValue?.count == 1)
        }
    }

    @Test func offsetPaginationHeaders() async throws {
        try await withSimulator { _, http in
            let first = try await http.get("/api/v4/projects/100/members/all?per_page=3", token: "bob-token")
            #expect(first.json?.arrayValue?.count == 3)
            #expect(first.header("x-page") == "1")
            #expect(first.header("x-per-page") == "3")
            #expect(first.header("x-total") == "4")
            #expect(first.header("x-total-pages") == "2")
            #expect(first.header("x-next-page") == "2")
            #expect(first.header("x-prev-page") == "")
            let link = try #require(first.header("link"))
            #expect(link.contains("rel=\"next\"") && link.contains("rel=\"first\"") && link.contains("rel=\"last\""))
            #expect(!link.contains("rel=\"prev\""))
            let nextURL = try #require(link.split(separator: ",").first { $0.contains("rel=\"next\"") }?
                .split(separator: ";").first?.trimmingCharacters(in: CharacterSet(charactersIn: " <>")))
            let second = try await http.get(String(nextURL.dropFirst(http.baseURL.count)), token: "bob-token")
            #expect(second.json?.arrayValue?.count == 1)
            #expect(second.header("x-next-page") == "")
            #expect(second.header("x-prev-page") == "1")
            #expect(second.header("link")?.contains("rel=\"prev\"") == true)
            let clamped = try await http.get("/api/v4/users/alice/keys?per_page=1000")
            #expect(clamped.header("x-per-page") == "100")
            let invalid = try await http.get("/api/v4/users/alice/keys?page=abc")
            #expect(invalid.status == 400)
            #expect(invalid.json == .object([("error", .string("page is invalid"))]))
            let beyond = try await http.get("/api/v4/users/alice/keys?page=9")
            #expect(beyond.json == .array([]))
        }
    }

    @Test func deploymentsFollowTheirJobs() async throws {
        try await withSimulator { simulator, http in
            let before = try await http.get("/api/v4/projects/100/deployments?environment=production", token: "bob-token")
            let deployment = try #require(before.json?.arrayValue?.first)
            #expect(deployment["status"]?.stringValue == "blocked", "a manual job's deployment is blocked")
            #expect(deployment["deployable"]?["id"]?.intValue == 9001)
            #expect(deployment["environment"]?["name"]?.stringValue == "production")
            #expect(Set(deployment.keys) == ["id", "iid", "ref", "sha", "created_at", "updated_at", "status", "user", "environment", "deployable"])
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token").status == 200)
            _ = try await simulator.waitForJob(id: 9001)
            let after = try await http.get("/api/v4/projects/100/deployments?status=success", token: "bob-token")
            #expect(after.json?.arrayValue?.first?["deployable"]?["id"]?.intValue == 9001)
            #expect(after.json?.arrayValue?.first?["user"]?["username"]?.stringValue == "bob")
            #expect(try await http.get("/api/v4/projects/100/deployments").status == 401)
            #expect(try await http.get("/api/v4/projects/100/deployments?status=nope", token: "bob-token").status == 400)
        }
    }
}
