/// The one error type of the GitLab module.
///
/// Errors compare by `code`; the other fields carry context for people. Nothing in an error ever
/// holds a token or a play-variable value: GitLab's own message is sanitized and truncated, and
/// every known secret is scrubbed from it before it is stored.
public struct GitLabError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        // Configuration
        case invalidServerURL
        case insecureTransport
        case missingServer
        case invalidConfigFile
        case invalidCAFile
        case invalidProxy
        case invalidArgument
        // HTTP answers
        case badRequest
        case unauthorized
        case forbidden
        case insufficientScope
        case pipelineVariablesNotAllowed
        case notFound
        case conflict
        case rateLimited
        case serverError
        case redirected
        case unexpectedStatus
        case malformedResponse
        case paginationLimitExceeded
        // Transport
        case connectionFailed
        case connectionDropped
        case timeout
        case tlsFailure
        case shutDown
    }

    public let code: Code
    /// HTTP status when the server answered.
    public let status: Int?
    /// `METHOD /path` of the request, without query string.
    public let request: String?
    /// GitLab's message, sanitized and truncated.
    public let serverMessage: String?
    /// Our explanation of what to do about it.
    public let hint: String?
    /// OAuth scope GitLab says is missing (403 `insufficient_scope`).
    public let requiredScope: String?
    /// Seconds GitLab asked us to wait (429).
    public let retryAfterSeconds: Double?

    public init(
        _ code: Code,
        status: Int? = nil,
        request: String? = nil,
        serverMessage: String? = nil,
        hint: String? = nil,
        requiredScope: String? = nil,
        retryAfterSeconds: Double? = nil
    ) {
        self.code = code
        self.status = status
        self.request = request
        self.serverMessage = serverMessage
        self.hint = hint
        self.requiredScope = requiredScope
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String {
        var parts: [String] = []
        if let request { parts.append(request) }
        if let status { parts.append("HTTP \(status)") }
        var text = parts.isEmpty ? code.rawValue : "\(parts.joined(separator: ": ")) (\(code.rawValue))"
        if let serverMessage { text += ": GitLab says \"\(serverMessage)\"" }
        if let hint { text += ". \(hint)" }
        return text
    }

    /// A copy with the request label filled in, for errors raised below the request layer.
    func withRequest(_ label: String) -> GitLabError {
        guard request == nil else { return self }
        return GitLabError(
            code, status: status, request: label, serverMessage: serverMessage, hint: hint,
            requiredScope: requiredScope, retryAfterSeconds: retryAfterSeconds)
    }
}
