import Foundation

/// `GET /personal_access_tokens/self`: the token the request was made with.
enum TokensAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/personal_access_tokens/self", auth: .user, userScoped: true, handler: current)
    ]

    /// Job tokens are refused by the route's rule (401), as GitLab does for non-personal tokens.
    static func current(_ context: APIContext) throws(APIError) -> SimResponse {
        guard case .user(let user, let token) = context.caller else { throw .unauthorized }
        return context.store.withWorld { world in .json(entity(token, of: user, in: world)) }
    }

    /// GitLab's PersonalAccessToken entity. Ids number the tokens of all users in user-id order,
    /// so they are stable for a seed. `active` is false once `expires_at` has passed.
    static func entity(_ token: SimSeed.Token, of user: UserRecord, in world: SimWorld) -> JSONValue {
        let all = world.users.values.sorted { $0.id < $1.id }.flatMap { owner in owner.tokens.map { (owner.id, $0.value) } }
        let id = (all.firstIndex { $0 == (user.id, token.value) } ?? all.count) + 1
        let expiry = token.expiresAt.flatMap(SimClock.parse)
        let day = expiry.map { String(SimClock.format($0).prefix(10)) }
        return .object([
            ("id", .int(id)),
            ("name", .string(token.name ?? "token \(id)")),
            ("revoked", .bool(false)),
            ("created_at", .string(SimClock.format(user.createdAt))),
            ("description", .null),
            ("scopes", .array(token.scopes.map { .string($0) })),
            ("user_id", .int(user.id)),
            ("last_used_at", .null),
            ("active", .bool(expiry.map { $0 > world.now } ?? true)),
            ("expires_at", day.map { .string($0) } ?? .null),
        ])
    }
}
