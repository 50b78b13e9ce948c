import Foundation
import GitLab

/// The token's scopes and expiry (`GET /personal_access_tokens/self`) against what ciauth needs:
/// `api` to approve (play jobs), enroll and revoke keys; `read_api` reads projects, jobs, members
/// and keys (listing, audit, verify's look-ups); `read_user` only the Users API (own and
/// named users' keys).
public enum DoctorTokenCheck {
    /// Warn when the token stops working within this many days.
    public static let expiryWarningDays = 7

    public static func check(_ client: GitLabClient, now: Date = Date()) async -> DoctorCheck {
        do {
            return evaluate(try await client.currentToken(), now: now)
        } catch {
            // OAuth and job tokens are not personal access tokens: GitLab answers 401 or 404.
            return DoctorCheck(
                "token-scopes", .warn, "cannot read the token's scopes (\(error.description)); it may not be a personal access token",
                fix: "use a personal access token with scope api to approve, enroll and revoke (read_api suffices to list)")
        }
    }

    public static func evaluate(_ token: PersonalAccessToken, now: Date) -> DoctorCheck {
        let name = "token-scopes"
        let scopes = Set(token.scopes)
        let listed = token.scopes.isEmpty ? "no scopes" : "scopes " + token.scopes.joined(separator: ", ")
        let described = "token \"\(token.name)\" has \(listed)"
        guard token.active, !token.revoked, !(token.expiresAt.map { $0 <= now } ?? false) else {
            return DoctorCheck(name, .fail, "\(described) but is revoked or expired", fix: "create a new personal access token with scope api")
        }
        var check: DoctorCheck
        if scopes.contains("api") {
            check = DoctorCheck(name, .ok, "\(described): enough for every command")
        } else if scopes.contains("read_api") {
            check = DoctorCheck(
                name, .warn, "\(described): read-only; listing keys and checks work, but approve, enroll and keys revoke need api",
                fix: "to approve or enroll, use a token with scope api")
        } else if scopes.contains("read_user") {
            check = DoctorCheck(
                name, .warn, "\(described): only the Users API; your keys and named users' keys can be listed, "
                    + "but groups and projects need read_api, and approve, enroll and keys revoke need api",
                fix: "use a token with scope api (or read_api for read-only use)")
        } else {
            check = DoctorCheck(name, .fail, "\(described): none that ciauth can use", fix: "create a personal access token with scope api")
        }
        if let expiry = token.expiresAt, expiry.timeIntervalSince(now) < Double(expiryWarningDays) * 86400 {
            let days = Int((expiry.timeIntervalSince(now) / 86400).rounded(.up))
            check.message += "; it expires in \(days) day(s)"
            if check.status == .ok { check.status = .warn }
            check.fix = [check.fix, "create a new token before it expires, then update CIAUTH_TOKEN or your token file"]
                .compactMap { $0 }.joined(separator: "; ")
        }
        return check
    }
}
