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
        case missingToken
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

    /// The sentence a person needs first, then the technical detail:
    /// `the job does not exist or is not visible to this token (GET /api/v4/projects/5/jobs/7 → 404)`.
    /// No internal identifiers: `code` is for programs, not for people.
    public var description: String {
        var text = hint ?? code.sentence
        var detail: [String] = []
        if let request { detail.append(status.map { "\(request) → \($0)" } ?? request) }
        if let serverMessage { detail.append("GitLab says \"\(serverMessage)\"") }
        if !detail.isEmpty { text += " (\(detail.joined(separator: "; ")))" }
        return text
    }

    /// True when the error is about ciauth's configuration, not about GitLab's answer.
    public var isConfiguration: Bool {
        switch code {
        case .invalidServerURL, .insecureTransport, .missingServer, .missingToken, .invalidConfigFile, .invalidCAFile,
            .invalidProxy:
            true
        default: false
        }
    }

    /// True when a write that failed this way may still have taken effect on GitLab (its answer
    /// was lost, late or unreadable), so only reading back can tell what GitLab holds.
    public var writeMayHaveTakenEffect: Bool {
        [.serverError, .timeout, .connectionDropped, .malformedResponse, .unexpectedStatus].contains(code)
    }

    /// A copy with the request label filled in, for errors raised below the request layer.
    func withRequest(_ label: String) -> GitLabError {
        guard request == nil else { return self }
        return GitLabError(
            code, status: status, request: label, serverMessage: serverMessage, hint: hint,
            requiredScope: requiredScope, retryAfterSeconds: retryAfterSeconds)
    }
}

extension GitLabError.Code {
    /// What the code means, for a person, when no more specific hint was written.
    var sentence: String {
        switch self {
        case .invalidServerURL: "the GitLab server URL is not valid"
        case .insecureTransport: "the GitLab server must be reached over https"
        case .missingServer: "no GitLab server is configured"
        case .missingToken: "no GitLab token is configured"
        case .invalidConfigFile: "a configuration file is broken"
        case .invalidCAFile: "the CA file cannot be used"
        case .invalidProxy: "the proxy setting is not valid"
        case .invalidArgument: "a value sent to GitLab is not valid"
        case .badRequest: "GitLab rejected the request as invalid"
        case .unauthorized: "GitLab did not accept the token"
        case .forbidden: "the token's user is not allowed to do this"
        case .insufficientScope: "the token lacks a scope this needs"
        case .pipelineVariablesNotAllowed: "you may not play jobs with variables in this project"
        case .notFound: "GitLab has no such resource, or this token may not see it"
        case .conflict: "GitLab reports a conflict"
        case .rateLimited: "GitLab rate-limited this client"
        case .serverError: "GitLab or a proxy in front of it failed"
        case .redirected: "the server answered with a redirect"
        case .unexpectedStatus: "unexpected answer from the server"
        case .malformedResponse: "the server's answer is not what GitLab sends"
        case .paginationLimitExceeded: "the listing is longer than ciauth reads"
        case .connectionFailed: "cannot connect to GitLab"
        case .connectionDropped: "the connection to GitLab failed"
        case .timeout: "GitLab did not answer in time"
        case .tlsFailure: "the TLS connection to GitLab failed"
        case .shutDown: "the request was cancelled"
        }
    }
}
