extension GitLabClient {
    /// Effective members, inherited and invited ones included, each with the highest access
    /// level (`GET /groups|projects/:id/members/all`).
    public func members(of scope: MembershipScope) async throws(GitLabError) -> [GitLabMember] {
        let request = GitLabRequest(method: .GET, path: scope.pathPrefix + "/members/all", resource: scope.description)
        return try await paginate(request, of: GitLabMember.self)
    }

    /// One user's effective membership, nil when not a member (`GET …/members/all/:user_id`); an
    /// answer about another user fails with `malformedResponse`.
    public func member(of scope: MembershipScope, userID: Int) async throws(GitLabError) -> GitLabMember? {
        let request = GitLabRequest(
            method: .GET, path: scope.pathPrefix + "/members/all/\(userID)",
            resource: "member \(userID) of \(scope.description)")
        let member: GitLabMember
        do {
            member = try decode(GitLabMember.self, from: try await send(request), request: request)
        } catch where error.code == .notFound {
            return nil
        }
        // Another user's membership (a cache answering for the wrong path) says nothing of this one's.
        guard member.id == userID else {
            throw GitLabError(
                .malformedResponse, request: request.label(server),
                hint: "GitLab answered with the membership of user \(member.id) for user \(userID)")
        }
        return member
    }
}
