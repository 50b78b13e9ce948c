extension GitLabClient {
    /// Effective members, inherited and invited ones included, each with the highest access
    /// level (`GET /groups|projects/:id/members/all`). A member listed twice with different facts
    /// fails the listing with `malformedResponse`.
    public func members(of scope: MembershipScope) async throws(GitLabError) -> [GitLabMember] {
        let request = GitLabRequest(method: .GET, path: scope.pathPrefix + "/members/all", resource: scope.description)
        let members = try await paginate(request, of: GitLabMember.self)
        // GitLab lists each member once, with the highest level. The same member listed twice
        // with other facts (blocked and active, Guest and Owner) leaves open which is true.
        var seen: [Int: GitLabMember] = [:]
        for member in members {
            if let earlier = seen.updateValue(member, forKey: member.id), earlier != member {
                throw GitLabError(
                    .malformedResponse, request: request.label(server),
                    hint: "GitLab's listing names member \(member.id) twice, with different facts")
            }
        }
        return members
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
