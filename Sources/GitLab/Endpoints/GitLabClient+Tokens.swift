import Foundation

extension GitLabClient {
    /// The personal access token in use (`GET /personal_access_tokens/self`). Other kinds of
    /// token (OAuth, job token) are refused by GitLab with 401 or 404.
    public func currentToken() async throws(GitLabError) -> PersonalAccessToken {
        let request = GitLabRequest(method: .GET, path: "/personal_access_tokens/self", resource: "the token in use")
        return try decode(PersonalAccessToken.self, from: try await send(request), request: request)
    }
}
