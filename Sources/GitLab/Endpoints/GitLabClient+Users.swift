import Foundation

extension GitLabClient {
    /// The token's owner (`GET /user`).
    public func currentUser() async throws(GitLabError) -> GitLabUser {
        try await currentUserWithServerClock().user
    }

    /// The token's owner (`GET /user`) with the server's clock as its `Date` header gives it.
    public func currentUserWithServerClock() async throws(GitLabError) -> (user: GitLabUser, clock: ServerClockReading) {
        let request = GitLabRequest(method: .GET, path: "/user", resource: "the current user")
        let sent = Date()
        let response = try await send(request)
        let received = Date()
        let user = try decode(GitLabUser.self, from: response, request: request)
        // Two Date headers disagree or repeat: either way the clock is unknown.
        let dates = response.headers["date"]
        let serverDate = dates.count == 1 ? HTTPDate.parse(dates[0]) : nil
        return (user, ServerClockReading(serverDate: serverDate, requestSent: sent, responseReceived: received))
    }

    /// A user by exact username (`GET /users?username=`), nil when there is none — or when the
    /// account is blocked, banned or LDAP-blocked and the caller is not an administrator: GitLab
    /// hides those states from the search (deactivated accounts are listed with their state).
    /// With `authenticated: false` it is sent without a token: GitLab answers this lookup
    /// anonymously unless the instance restricts Public visibility (then 403), and ignores a job
    /// token here.
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

    /// A user by id (`GET /users/:id`); an answer about another user fails with `malformedResponse`.
    public func user(id: Int) async throws(GitLabError) -> GitLabUser {
        let request = GitLabRequest(method: .GET, path: "/users/\(id)", resource: "user \(id)")
        let user = try decode(GitLabUser.self, from: try await send(request), request: request)
        guard user.id == id else {
            throw GitLabError(.malformedResponse, request: request.label(server), hint: "GitLab answered with user \(user.id) for user \(id)")
        }
        return user
    }
}
