extension GitLabClient {
    /// The key set GitLab signs CI ID tokens with (`GET /oauth/discovery/keys`, a JWKS, outside
    /// `/api/v4`), asked anonymously. Returns the body as received: the caller parses it strictly.
    public func idTokenKeySet() async throws(GitLabError) -> [UInt8] {
        let request = GitLabRequest(
            method: .GET, path: "/oauth/discovery/keys", resource: "the ID token key set", anonymous: true)
        return try await send(request, url: server.origin + server.pathPrefix + "/oauth/discovery/keys").body
    }
}
