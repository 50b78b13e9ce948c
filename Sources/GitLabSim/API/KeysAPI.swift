import Foundation

/// SSH keys of users: own keys, anyone's keys (anonymous), admin deletion.
enum KeysAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/user/keys", auth: .user, userScoped: true, handler: listOwn),
        Route("POST", "api/v4/user/keys", auth: .user, handler: create),
        Route("GET", "api/v4/user/keys/:key_id", auth: .user, userScoped: true, handler: showOwn),
        Route("DELETE", "api/v4/user/keys/:key_id", auth: .user, handler: deleteOwn),
        Route("GET", "api/v4/users/:id/keys", auth: .optionalUser, userScoped: true, handler: listForUser),
        Route("GET", "api/v4/users/:id/keys/:key_id", auth: .optionalUser, userScoped: true, handler: showForUser),
        Route("DELETE", "api/v4/users/:id/keys/:key_id", auth: .user, handler: adminDelete),
    ]

    static func listOwn(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        return try list(userId: user.id, context: context)
    }

    static func listForUser(_ context: APIContext) throws(APIError) -> SimResponse {
        let userId = try readableUserId(context)
        return try list(userId: userId, context: context)
    }

    /// `find_user` then `read_user`: an anonymous visitor on an instance that restricts Public
    /// visibility gets the same 404 as for an unknown user (lib/api/users.rb).
    private static func readableUserId(_ context: APIContext) throws(APIError) -> Int {
        try context.store.withWorld { (world) throws(APIError) -> Int in
            guard let user = world.user(idOrUsername: context.path("id")), world.canReadUsers(as: context.caller.user) else {
                throw .notFound("User")
            }
            return user.id
        }
    }

    /// Every key of the user, expired and signing-only ones included, oldest first.
    private static func list(userId: Int, context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let keys = world.keys.values.filter { $0.userId == userId }.sorted { $0.id < $1.id }
            return try Pagination.page(keys, request: context.request, baseURL: world.baseURL) { key in
                Entities.key(key, in: world)
            }
        }
    }

    static func showOwn(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        return try show(userId: user.id, context: context)
    }

    static func showForUser(_ context: APIContext) throws(APIError) -> SimResponse {
        let userId = try readableUserId(context)
        return try show(userId: userId, context: context)
    }

    private static func show(userId: Int, context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            guard let id = Int(context.path("key_id")), let key = world.keys[id], key.userId == userId else {
                throw .notFound("Key")
            }
            return .json(Entities.key(key, in: world))
        }
    }

    static func create(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        let new = try KeyRules.parameters(from: try context.request.parameters())
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let now = Date()
            let parsed = try KeyRules.validate(new, in: world, now: now)
            let id = world.allocateKeyId()
            let record = KeyRecord(
                id: id, userId: user.id, title: new.title, parsed: parsed, usageType: new.usageType,
                createdAt: now, expiresAt: new.expiresAt
            )
            world.insert(key: record)
            return .json(Entities.key(record, in: world), status: 201)
        }
    }

    static func deleteOwn(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let user = context.caller.user else { throw .unauthorized }
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            guard let id = Int(context.path("key_id")), let key = world.keys[id], key.userId == user.id else {
                throw .notFound("Key")
            }
            world.removeKey(id: id)
            return .noContent
        }
    }

    static func adminDelete(_ context: APIContext) throws(APIError) -> SimResponse {
        guard let caller = context.caller.user else { throw .unauthorized }
        guard caller.admin else { throw .forbidden }
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            guard let id = Int(context.path("id")), world.users[id] != nil else { throw .notFound("User") }
            guard let keyId = Int(context.path("key_id")), let key = world.keys[keyId], key.userId == id else {
                throw .notFound("Key")
            }
            world.removeKey(id: keyId)
            return .noContent
        }
    }
}
