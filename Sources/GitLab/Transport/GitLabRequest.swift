import NIOHTTP1

/// One REST call, described before it is sent.
struct GitLabRequest: Sendable {
    var method: HTTPMethod
    /// Path below `/api/v4`, segments already percent-encoded.
    var path: String
    var query: [(String, String)] = []
    var body: [UInt8]?
    /// What a 404 means ("job 4711 of project 5").
    var resource: String
    /// Send no token even if the client has one (anonymous endpoints).
    var anonymous = false
    var isPlayWithVariables = false
    /// What the logger may show of the body (never values of play variables).
    var bodySummary: String?

    /// Only reads are repeated: a repeated write could act twice.
    var isIdempotent: Bool { method == .GET || method == .HEAD }

    /// `GET /api/v4/projects/5/jobs/7`, for errors and logs (no query string).
    func label(_ server: GitLabServer) -> String {
        "\(method.rawValue) \(server.pathPrefix)/api/v4\(path)"
    }
}

/// A response that arrived, status and body in hand.
struct GitLabResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first(name: name) }
}
