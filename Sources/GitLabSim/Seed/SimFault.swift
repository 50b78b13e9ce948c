import Foundation

/// Which requests a fault applies to: an HTTP method (or `*`) and a path pattern where `*`
/// matches one path segment and a trailing `**` matches the rest, e.g.
/// `/api/v4/projects/*/jobs/*/play`. Segments compare in their raw (still encoded) form.
/// Optionally query parameters the request must carry, e.g. `["page=2"]` for one page of a listing.
public struct SimRoute: Codable, Sendable, Equatable, CustomStringConvertible {
    public var method: String
    public var path: String
    /// `name=value` pairs (decoded form) that must all be among the request's query parameters.
    public var query: [String]?

    public init(method: String = "*", path: String, query: [String]? = nil) {
        self.method = method
        self.path = path
        self.query = query
    }

    public var description: String {
        "\(method) \(path)" + (query.map { "?" + $0.joined(separator: "&") } ?? "")
    }

    func matches(method requestMethod: String, path requestPath: String, query requestQuery: [(String, String)] = []) -> Bool {
        guard method == "*" || method.uppercased() == requestMethod.uppercased() else { return false }
        let present = Set(requestQuery.map { "\($0.0)=\($0.1)" })
        guard (query ?? []).allSatisfy(present.contains) else { return false }
        let pattern = path.split(separator: "/", omittingEmptySubsequences: true)
        let actual = requestPath.split(separator: "/", omittingEmptySubsequences: true)
        for (index, segment) in pattern.enumerated() {
            if segment == "**" { return true }
            guard index < actual.count else { return false }
            if segment != "*" && segment != actual[index] { return false }
        }
        return pattern.count == actual.count
    }
}

/// What goes wrong for a matching request. Latency applies first, whatever the kind.
public struct SimFault: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// Only the latency; the request is then served normally.
        case delay
        /// Answer `status` with a GitLab-like JSON body (or `body`, or the bytes of `body_base64`,
        /// sent as they are with `content_type`), plus `Retry-After` if set.
        case status
        /// An HTML error page with `status` (as a proxy in front of GitLab would send).
        case html
        /// Close the connection without any response, before the request has any effect.
        case drop
        /// Apply the request (e.g. play the job), then close without a response.
        case dropAfterEffect = "drop_after_effect"
        /// Apply the request (e.g. store the key), then answer `status` (default 502) instead of
        /// the real response, as a proxy whose upstream timed out does.
        case statusAfterEffect = "status_after_effect"
        /// Send the real status and headers but only `truncate_at` bytes of the body, then close.
        case truncate
        /// Close the connection at once; the request takes effect `latency_ms` later. GitLab goes
        /// on with a request whose client connection a proxy or load balancer reset meanwhile.
        case dropThenEffect = "drop_then_effect"
    }

    public var kind: Kind
    public var status: Int?
    public var body: String?
    public var retryAfter: Int?
    public var latencyMs: Int?
    public var truncateAt: Int?
    /// `status` only: the body's bytes, base64 (bytes that are not UTF-8 or not JSON, sent unchanged).
    public var bodyBase64: String?
    /// `status` only: the `Content-Type` of `body` or `body_base64`, instead of the one guessed
    /// from the body (`application/json` when it parses, else `text/plain`).
    public var contentType: String?

    public init(
        kind: Kind, status: Int? = nil, body: String? = nil, retryAfter: Int? = nil,
        latencyMs: Int? = nil, truncateAt: Int? = nil, bodyBase64: String? = nil, contentType: String? = nil
    ) {
        self.kind = kind
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
        self.latencyMs = latencyMs
        self.truncateAt = truncateAt
        self.bodyBase64 = bodyBase64
        self.contentType = contentType
    }

    public static func status(_ code: Int, retryAfter: Int? = nil, body: String? = nil) -> SimFault {
        SimFault(kind: .status, status: code, body: body, retryAfter: retryAfter)
    }

    /// Answers `status` with exactly these bytes and this `Content-Type`, however broken: a
    /// duplicate member, a body that is not UTF-8, JSON under another type.
    public static func raw(_ code: Int = 200, bytes: [UInt8], contentType: String = "application/json") -> SimFault {
        SimFault(kind: .status, status: code, bodyBase64: Data(bytes).base64EncodedString(), contentType: contentType)
    }

    public static func delay(milliseconds: Int) -> SimFault {
        SimFault(kind: .delay, latencyMs: milliseconds)
    }

    public static func html(_ code: Int = 502) -> SimFault { SimFault(kind: .html, status: code) }
    public static let drop = SimFault(kind: .drop)
    public static let dropAfterEffect = SimFault(kind: .dropAfterEffect)
    public static func dropThenEffect(afterMilliseconds delay: Int) -> SimFault { SimFault(kind: .dropThenEffect, latencyMs: delay) }
    public static func statusAfterEffect(_ code: Int = 502) -> SimFault { SimFault(kind: .statusAfterEffect, status: code) }
    public static func truncate(at bytes: Int) -> SimFault { SimFault(kind: .truncate, truncateAt: bytes) }
}

/// A fault bound to a route, optionally only for the first `count` matching requests.
public struct SimFaultRule: Codable, Sendable, Equatable {
    public var route: SimRoute
    public var fault: SimFault
    /// How many matching requests the fault hits; nil means every one.
    public var count: Int?

    public init(route: SimRoute, fault: SimFault, count: Int? = nil) {
        self.route = route
        self.fault = fault
        self.count = count
    }
}
