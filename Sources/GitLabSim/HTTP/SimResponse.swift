import Foundation

/// One HTTP response produced by a handler.
struct SimResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ value: JSONValue, status: Int = 200, headers: [(String, String)] = []) -> SimResponse {
        SimResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers,
            body: Data(value.serialized.utf8)
        )
    }

    static func text(_ text: String, status: Int = 200, contentType: String = "text/plain") -> SimResponse {
        SimResponse(status: status, headers: [("Content-Type", contentType)], body: Data(text.utf8))
    }

    static let noContent = SimResponse(status: 204)
}

/// An API error, rendered with GitLab's body conventions.
struct APIError: Error, Sendable {
    var status: Int
    var body: JSONValue
    var headers: [(String, String)] = []

    var response: SimResponse { .json(body, status: status, headers: headers) }

    static func message(_ status: Int, _ text: String) -> APIError {
        APIError(status: status, body: .object([("message", .string(text))]))
    }

    /// Grape parameter errors and unknown routes: `{"error": "..."}`.
    static func grape(_ text: String, status: Int = 400) -> APIError {
        APIError(status: status, body: .object([("error", .string(text))]))
    }

    static func notFound(_ resource: String) -> APIError { .message(404, "404 \(resource) Not Found") }
    static let routeNotFound = APIError.grape("404 Not Found", status: 404)
    static let unauthorized = APIError.message(401, "401 Unauthorized")
    static let forbidden = APIError.message(403, "403 Forbidden")
    static func forbidden(_ reason: String) -> APIError { .message(403, "403 Forbidden - \(reason)") }
    static func badRequest(_ reason: String) -> APIError { .message(400, "400 Bad request - \(reason)") }

    static let insufficientScope = APIError(status: 403, body: .object([
        ("error", .string("insufficient_scope")),
        ("error_description", .string("The request requires higher privileges than provided by the access token.")),
        ("scope", .string("api")),
    ]))
}
