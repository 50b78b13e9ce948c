import Foundation
import GitLab

/// The token that will play: scope `api`, not revoked, and not expiring before the plays are done
/// (`GET /personal_access_tokens/self`).
///
/// GitLab describes only personal access tokens there (15.5+); an OAuth token (glab's), a job
/// token or an older GitLab answers 401 or 404. Such a token is not refused on a guess: the check
/// is skipped with a note, and a missing scope still shows as GitLab's 403 on the play.
enum ApprovePrecheckToken {
    /// Time the token must outlive: the touch (up to `--touch-timeout`) and the plays after it.
    static func margin(touchTimeout: Duration) -> TimeInterval {
        Double(touchTimeout.components.seconds) + 300
    }

    /// The token as GitLab describes it, nil when GitLab describes no token; throws the refusal.
    static func check(_ gitlab: GitLabClient, now: Date, margin: TimeInterval, note: (String) -> Void) async throws -> PersonalAccessToken? {
        let token: PersonalAccessToken
        do {
            token = try await gitlab.currentToken()
        } catch {
            return try unreadable(error, note: note)
        }
        return try judge(token, now: now, margin: margin)
    }

    /// No description of the token: insufficient scope is a refusal; 401 and 404 (not a personal
    /// access token) a note; anything else GitLab's error.
    private static func unreadable(_ error: GitLabError, note: (String) -> Void) throws -> PersonalAccessToken? {
        switch error.code {
        case .insufficientScope:
            throw ApproveError.refused(
                "token-scope-missing",
                "the token may not even read its own scopes, so it lacks the api scope that playing a job needs; "
                    + "create a personal access token with scope api and use it (CIAUTH_TOKEN, or `ciauth auth login`). Nothing was signed")
        case .notFound, .unauthorized:
            note("Note: GitLab does not describe this token (not a personal access token, e.g. OAuth, or GitLab before 15.5): "
                + "its scopes and expiry are not checked before the touch.")
            return nil
        default:
            throw error
        }
    }

    static func judge(_ token: PersonalAccessToken, now: Date, margin: TimeInterval) throws -> PersonalAccessToken {
        let name = ApprovalStatement.quoted(token.name)
        guard token.active, !token.revoked, !(token.expiresAt.map { $0 <= now } ?? false) else {
            throw ApproveError.refused(
                "token-unusable", "GitLab says the token \(name) is revoked or expired; create a new personal access token with scope api. Nothing was signed")
        }
        guard token.scopes.contains("api") else {
            let scopes = token.scopes.isEmpty ? "no scopes" : "only " + token.scopes.joined(separator: ", ")
            throw ApproveError.refused(
                "token-scope-missing",
                "the token \(name) has \(scopes), and playing a job needs the api scope; create a personal access token with scope api "
                    + "(or use --sign-only and let another player play). Nothing was signed")
        }
        if let expiry = token.expiresAt, expiry.timeIntervalSince(now) < margin {
            throw ApproveError.refused(
                "token-expiring",
                "the token \(name) expires at \(expiry.formatted(.iso8601)), before the touch and the plays could be done; "
                    + "create a new personal access token with scope api and use it. Nothing was signed")
        }
        return token
    }
}
