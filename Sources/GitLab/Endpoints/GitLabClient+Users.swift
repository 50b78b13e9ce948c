extension GitLabClient {
    /// The token's owner (`GET /user`).
    public func currentUser() async throws(GitLabError) -> GitLabUser {
        let request = GitLabRequest(method: .GET, path: "/user", resource: "the current user")
        return try decode(GitLabUser.self, from: try await send(request), request: request)
    }

    /// A user by exact username (`GET /users?username=`), nil when there is none.
    /// With `authenticated: false` it is sent without a token: GitLab answers this lookup
    /// anonymously, and a job token must not be offered to the Users API.
    public func user(username: String, authenticated: Bool = true) async throws(GitLabError) -> GitLabUser? {
        let request = GitLabRequest(
            method: .GET, path: "/users", query: [("username", username)], resource: "user \(username)",
            anonymous: !authenticated)
        let users = try decode([GitLabUser].self, from: try await send(request), request: request)
        // GitLab matches case-insensitively; make sure it is that user and only one.
        let matches = users.filter { $0.username.lowercased() == username.lowercased() }
        guard matches.count <= 1 else {
            throw GitLabError(.malformedResponse, request: request.label(server), hint: "several users named \(username)")
        }
        return matches.first
    }

    /// A user by id (`GET /users/:id`).
    public func user(id: Int) async throws(GitLabError) -> GitLabUser {
        let request = GitLabRequest(method: .GET, path: "/users/\(id)", resource: "user \(id)")
        return try decode(GitLabUser.self, from: try await send(request), request: request)
    }
}
