import Foundation
import GitLabSim
import Testing

/// Users API against gitlab-api.md §3 and §7.
@Suite struct UsersContractTests {
    static let userBasicFields = ["id", "username", "name", "state", "locked", "avatar_url", "web_url"]

    @Test func currentUserHasPublicShape() async throws {
        try await withSimulator { _, http in
            let response = try await http.get("/api/v4/user", token: "alice-token")
            #expect(response.status == 200)
            let user = try #require(response.json)
            for field in Self.userBasicFields + ["created_at", "email"] { #expect(user.keys.contains(field), "\(field)") }
            #expect(user["username"]?.stringValue == "alice")
            #expect(user["is_admin"] == nil)
            let admin = try await http.get("/api/v4/user", token: "root-token")
            #expect(admin.json?["is_admin"]?.boolValue == true)
        }
    }

    @Test func bearerAuthorizationWorksLikePrivateToken() async throws {
        try await withSimulator { _, http in
            let response = try await http.get("/api/v4/user", headers: [("Authorization", "Bearer bob-token")])
            #expect(response.json?["username"]?.stringValue == "bob")
        }
    }

    @Test func missingOrUnknownTokenIs401() async throws {
        try await withSimulator { _, http in
            let anonymous = try await http.get("/api/v4/user")
            #expect(anonymous.status == 401)
            #expect(anonymous.json == .object([("message", .string("401 Unauthorized"))]))
            let unknown = try await http.get("/api/v4/user", token: "nope")
            #expect(unknown.status == 401)
            // An invalid credential is refused even where anonymous access is allowed.
            let keys = try await http.get("/api/v4/users/alice/keys", token: "nope")
            #expect(keys.status == 401)
        }
    }

    @Test func blockedAndDeactivatedUsersAreForbidden() async throws {
        try await withSimulator { _, http in
            let blocked = try await http.get("/api/v4/user", token: "dave-token")
            #expect(blocked.status == 403)
            #expect(blocked.message == "403 Forbidden - Your account has been blocked.")
            let deactivated = try await http.get("/api/v4/user", token: "erin-token")
            #expect(deactivated.status == 403)
            #expect(deactivated.message?.hasPrefix("403 Forbidden - Your account has been deactivated") == true)
        }
    }

    @Test func usersByUsernameIsAnonymousAndCaseInsensitive() async throws {
        try await withSimulator { _, http in
            let response = try await http.get("/api/v4/users?username=ALICE")
            #expect(response.status == 200)
            let users = try #require(response.json?.arrayValue)
            #expect(users.count == 1)
            #expect(users.first?.keys.contains("web_url") == true)
            #expect(users.first?["id"]?.intValue == 2)
            let none = try await http.get("/api/v4/users?username=nobody")
            #expect(none.json == .array([]))
            let list = try await http.get("/api/v4/users")
            #expect(list.status == 403)
            #expect(list.message == "403 Forbidden - Not authorized to access /api/v4/users")
        }
    }

    @Test func userByIdNeedsSignIn() async throws {
        try await withSimulator { _, http in
            let anonymous = try await http.get("/api/v4/users/2")
            #expect(anonymous.status == 403)
            #expect(anonymous.message == "403 Forbidden - Not authorized!")
            let found = try await http.get("/api/v4/users/5", token: "bob-token")
            #expect(found.json?["state"]?.stringValue == "blocked")
            let missing = try await http.get("/api/v4/users/404", token: "bob-token")
            #expect(missing.status == 404)
            #expect(missing.message == "404 User Not Found")
        }
    }

    @Test func readScopedTokenCannotWrite() async throws {
        try await withSimulator { _, http in
            #expect(try await http.get("/api/v4/user/keys", token: "alice-read").status == 200)
            let response = try await http.post("/api/v4/user/keys", token: "alice-read", json: #"{"title":"x","key":"y"}"#)
            #expect(response.status == 403)
            #expect(response.json?["error"]?.stringValue == "insufficient_scope")
            #expect(response.json?["scope"]?.stringValue == "api")
        }
    }

    @Test func unknownRouteAndWrongMethodUseGrapeBodies() async throws {
        try await withSimulator { _, http in
            let unknown = try await http.get("/api/v4/nothing/here", token: "alice-token")
            #expect(unknown.status == 404)
            #expect(unknown.json == .object([("error", .string("404 Not Found"))]))
            let method = try await http.send("PUT", "/api/v4/user", headers: [("PRIVATE-TOKEN", "alice-token")])
            #expect(method.status == 405)
        }
    }
}
