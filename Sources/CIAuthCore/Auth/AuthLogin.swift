import Foundation
import GitLab

/// What `ciauth auth login` was given: the server and the token to check and keep.
public struct AuthLoginRequest: Sendable {
    public var server: GitLabServer
    public var token: String

    public init(server: GitLabServer, token: String) {
        self.server = server
        self.token = token
    }
}

/// Who the token belongs to and what it may do, as GitLab says.
public struct AuthTokenReport: Sendable, Encodable {
    public var server: String
    public var username: String
    public var name: String
    /// nil when GitLab does not describe the token (OAuth, job token, older GitLab).
    public var tokenName: String?
    public var scopes: [String]?
    public var expiresAt: Date?

    /// `scopes api, read_api; expires 2027-01-31` or what is unknown.
    public var summary: String {
        let scopes = scopes.map { $0.isEmpty ? "no scopes" : "scopes " + $0.joined(separator: ", ") } ?? "scopes unknown"
        return "\(scopes); \(expiry)"
    }

    /// `api, read_api; expires 2027-01-31`, for a line already labelled `scopes:`.
    public var scopesAndExpiry: String {
        let scopes = scopes.map { $0.isEmpty ? "none" : $0.joined(separator: ", ") } ?? "unknown"
        return "\(scopes); \(expiry)"
    }

    private var expiry: String {
        expiresAt.map { "expires " + String($0.formatted(.iso8601).prefix(10)) } ?? (tokenName == nil ? "expiry unknown" : "never expires")
    }
}

/// `ciauth auth login`: checks the token with GitLab (`GET /user`, `GET /personal_access_tokens/self`)
/// and keeps server and token in ciauth's `config.toml`, mode 0600. Nothing is written when GitLab
/// refuses the token or the token cannot work (revoked, expired).
public struct AuthLogin: Sendable {
    public let client: GitLabClient
    public let configDirectory: ConfigDirectory

    public init(client: GitLabClient, configDirectory: ConfigDirectory) {
        self.client = client
        self.configDirectory = configDirectory
    }

    public func run(_ request: AuthLoginRequest) async throws -> (report: AuthTokenReport, file: String) {
        let report = try await AuthProbe(client: client).describe(server: request.server)
        let file = CIAuthConfigFile(server: request.server.description, token: request.token)
        do {
            try PrivateFile.write(Array(file.text.utf8), to: configDirectory.configFile, replacing: true)
        } catch {
            throw AuthError(.cannotSave, "cannot save the token: \(error.description)")
        }
        return (report, configDirectory.configFile.path)
    }
}

/// Asks GitLab who the token is and what it may do.
public struct AuthProbe: Sendable {
    public let client: GitLabClient

    public init(client: GitLabClient) {
        self.client = client
    }

    public func describe(server: GitLabServer, now: Date = Date()) async throws -> AuthTokenReport {
        let user = try await client.currentUser()
        var report = AuthTokenReport(server: server.description, username: user.username, name: user.name)
        // Only personal, project and group access tokens describe themselves; OAuth tokens get 401/404.
        guard let token = try? await client.currentToken() else { return report }
        guard token.active, !token.revoked, !(token.expiresAt.map { $0 <= now } ?? false) else {
            throw AuthError(.tokenUnusable, "GitLab says the token \"\(token.name)\" is revoked or expired; create a new one")
        }
        report.tokenName = token.name
        report.scopes = token.scopes
        report.expiresAt = token.expiresAt
        return report
    }
}

/// Why `auth login` or `auth status` stopped.
public struct AuthError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case tokenUnusable = "token-unusable"
        case cannotSave = "cannot-save"
        case noToken = "no-token"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
