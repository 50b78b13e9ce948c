/// How requests authenticate. The token text never appears in `description` or logs.
public enum GitLabCredentials: Sendable, Hashable, CustomStringConvertible {
    /// No token: for endpoints GitLab serves anonymously (a user's public keys).
    case anonymous
    /// Personal, project or group access token, sent as `PRIVATE-TOKEN`.
    case accessToken(String)
    /// OAuth access token, sent as `Authorization: Bearer`.
    case oauth(String)
    /// `CI_JOB_TOKEN` inside a running job, sent as `JOB-TOKEN`.
    case jobToken(String)

    /// Header name and value to send, or nil when anonymous.
    var header: (name: String, value: String)? {
        switch self {
        case .anonymous: nil
        case .accessToken(let token): ("PRIVATE-TOKEN", token)
        case .oauth(let token): ("Authorization", "Bearer \(token)")
        case .jobToken(let token): ("JOB-TOKEN", token)
        }
    }

    /// The secret itself, for scrubbing it out of anything we echo.
    var secret: String? {
        switch self {
        case .anonymous: nil
        case .accessToken(let token), .oauth(let token), .jobToken(let token): token
        }
    }

    public var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .accessToken: "access token (PRIVATE-TOKEN: [REDACTED])"
        case .oauth: "OAuth token (Authorization: Bearer [REDACTED])"
        case .jobToken: "job token (JOB-TOKEN: [REDACTED])"
        }
    }
}
