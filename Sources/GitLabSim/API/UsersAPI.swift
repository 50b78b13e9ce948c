import Foundation

/// `/user`, `/users`, `/users/:id`.
enum UsersAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/user", auth: .user, userScoped: true, handler: currentUser),
        Route("GET", "api/v4/users", auth: .optionalUser, userScoped: true, handler: listUsers),
        Route("GET", "api/v4/users/:id", auth: .optionalUser, userScoped: true, handler: showUser),
    ]

    static func currentUser(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        return context.store.withWorld { world in .json(Entities.currentUser(user, in: world)) }
    }

    /// Anonymous callers must filter by `username` (exact, case-insensitive) and may not list
    /// users at all when Public visibility is restricted (`read_users_list`). Only administrators
    /// see blocked, banned and LDAP-blocked users (lib/api/users.rb, app/finders/users_finder.rb).
    static func listUsers(_ context: APIContext) throws(APIError) -> SimResponse {
        let username = context.request.queryValue("username")
        let caller = context.caller.user
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            guard world.canReadUsers(as: caller), caller != nil || username != nil else {
                throw .forbidden("Not authorized to access /api/v4/users")
            }
            var users = world.users.values.sorted { $0.id < $1.id }
            if caller?.admin != true { users = users.filter { !$0.state.isHiddenFromSearch } }
            if let username { users = users.filter { $0.username.lowercased() == username.lowercased() } }
            return try Pagination.page(users, request: context.request, baseURL: world.baseURL) { user in
                .object(Entities.userBasic(user, in: world))
            }
        }
    }

    /// Needs a signed-in user; numeric ids only (GitLab's `:id` here is an integer).
    static func showUser(_ context: APIContext) throws(APIError) -> SimResponse {
        guard context.caller.user != nil else { throw .forbidden("Not authorized!") }
        guard let id = Int(context.path("id")) else { throw .notFound("User") }
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            guard let user = world.users[id] else { throw .notFound("User") }
            return .json(.object(Entities.userBasic(user, in: world) + Entities.profile(user)))
        }
    }
}
