extension GitLabClient {
    /// Effective members, inherited and invited ones included, each with the highest access
    /// level (`GET /groups|projects/:id/members/all`).
    public func members(of scope: MembershipScope) async throws(GitLabError) -> [GitLabMember] {
        let request = GitLabRequest(method: .GET, path: scope.pathPrefix + "/members/all", resource: scope.description)
        return try await paginate(request, of: GitLabMember.self)
    }

    /// One user's effective membership, nil when not a member (`GET …/members/all/:user_id`).
    public func member(of scope: MembershipScope, userID: Int) async throws(GitLabError) -> GitLabMember? {
        let request = GitLabRequest(
            method: .GET, path: scope.pathPrefix + "/members/all/\(userID)",
            resource: "member \(userID) of \(scope.description)")
        do {
            return try decode(GitLabMember.self, from: try await send(request), request: request)
        } catch where error.code == .notFound {
            return nil
        }
    }
}
