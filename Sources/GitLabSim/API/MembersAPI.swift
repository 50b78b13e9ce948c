import Foundation

/// Effective members (`/members/all`): direct and inherited, highest level wins; offset-paginated.
enum MembersAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/groups/:id/members/all", auth: .anonymousForPublic, handler: groupMembers),
        Route("GET", "api/v4/projects/:id/members/all", auth: .anonymousForPublic, handler: projectMembers),
        Route("GET", "api/v4/groups/:id/members/all/:user_id", auth: .anonymousForPublic, handler: groupMember),
        Route("GET", "api/v4/projects/:id/members/all/:user_id", auth: .anonymousForPublic, handler: projectMember),
    ]

    static func groupMembers(_ context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let members = world.effectiveMembers(ofGroup: try group(context, in: world))
            return try page(members, context: context, in: world)
        }
    }

    static func projectMembers(_ context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let members = world.effectiveMembers(ofProject: try ProjectsAPI.project(context, in: world))
            return try page(members, context: context, in: world)
        }
    }

    static func groupMember(_ context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let members = world.effectiveMembers(ofGroup: try group(context, in: world))
            return try single(members, context: context, in: world)
        }
    }

    static func projectMember(_ context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let members = world.effectiveMembers(ofProject: try ProjectsAPI.project(context, in: world))
            return try single(members, context: context, in: world)
        }
    }

    private static func group(_ context: APIContext, in world: SimWorld) throws(APIError) -> GroupRecord {
        guard let group = world.group(idOrPath: context.path("id")),
              world.canRead(group: group, as: context.caller.user)
        else { throw .notFound("Group") }
        return group
    }

    /// Filters `query` (username or name substring) and `user_ids[]`; ordered by user id.
    private static func page(_ members: [Int: MemberRecord], context: APIContext, in world: SimWorld) throws(APIError) -> SimResponse {
        let query = context.request.queryValue("query")?.lowercased()
        let ids = try context.request.queryValues("user_ids").map { (text) throws(APIError) -> Int in
            guard let id = Int(text) else { throw .grape("user_ids is invalid") }
            return id
        }
        let rows = members.values.sorted { $0.userId < $1.userId }.compactMap { member -> (MemberRecord, UserRecord)? in
            guard let user = world.users[member.userId] else { return nil }
            if !ids.isEmpty && !ids.contains(user.id) { return nil }
            if let query, !user.username.lowercased().contains(query) && !user.name.lowercased().contains(query) {
                return nil
            }
            return (member, user)
        }
        return try Pagination.page(rows, request: context.request, baseURL: world.baseURL) { row in
            Entities.member(row.0, user: row.1, in: world)
        }
    }

    private static func single(_ members: [Int: MemberRecord], context: APIContext, in world: SimWorld) throws(APIError) -> SimResponse {
        guard let id = Int(context.path("user_id")), let member = members[id], let user = world.users[id] else {
            throw .notFound("Member")
        }
        return .json(Entities.member(member, user: user, in: world))
    }
}
