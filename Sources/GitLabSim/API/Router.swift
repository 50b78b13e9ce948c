import Foundation

/// Everything a handler gets: the request, its decoded path parameters, the caller, the store
/// and the runner.
struct APIContext: Sendable {
    let request: SimRequest
    let pathParameters: [String: String]
    let caller: Caller
    let store: SimStore
    let runner: JobRunner

    func path(_ name: String) -> String { pathParameters[name] ?? "" }
}

typealias Handler = @Sendable (APIContext) throws(APIError) -> SimResponse

struct Route: Sendable {
    let method: String
    let pattern: [String]
    let auth: AuthRule
    /// Whether `read_user` scope suffices for GET (Users API).
    let userScoped: Bool
    let handler: Handler

    init(_ method: String, _ path: String, auth: AuthRule, userScoped: Bool = false, handler: @escaping Handler) {
        self.method = method
        self.pattern = path.split(separator: "/").map(String.init)
        self.auth = auth
        self.userScoped = userScoped
        self.handler = handler
    }

    /// Decoded parameters when the raw segments fit the pattern.
    func match(_ segments: [String]) -> [String: String]? {
        guard segments.count == pattern.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(pattern, segments) {
            if expected.hasPrefix(":") {
                guard let decoded = actual.removingPercentEncoding, !decoded.isEmpty else { return nil }
                parameters[String(expected.dropFirst())] = decoded
            } else if expected != actual {
                return nil
            }
        }
        return parameters
    }
}

/// The `/api/v4` router: finds the route, authenticates, runs the handler.
struct Router: Sendable {
    let routes: [Route]
    let store: SimStore
    let runner: JobRunner

    func handle(_ request: SimRequest) -> SimResponse {
        do {
            return try dispatch(request)
        } catch {
            return error.response
        }
    }

    private func dispatch(_ request: SimRequest) throws(APIError) -> SimResponse {
        let candidates = routes.compactMap { route in route.match(request.segments).map { (route, $0) } }
        guard !candidates.isEmpty else { throw .routeNotFound }
        let method = request.method == "HEAD" ? "GET" : request.method
        guard let (route, parameters) = candidates.first(where: { $0.0.method == method }) else {
            throw .grape("405 Not Allowed", status: 405)
        }
        let caller = try store.withWorld { (world) throws(APIError) -> Caller in
            try Authenticator.caller(for: request, in: world, acceptsJobToken: route.auth.acceptsJobToken)
        }
        try Authenticator.authorize(caller, rule: route.auth, method: method, userScoped: route.userScoped)
        let context = APIContext(
            request: request, pathParameters: parameters, caller: caller, store: store, runner: runner
        )
        return try route.handler(context)
    }
}
