extension GitLabClient {
    /// Every SSH key on a user's profile, all usage types and expired ones included
    /// (`GET /users/:id_or_username/keys`). Sent without a token unless `authenticated`: GitLab
    /// serves it anonymously (404 when the instance restricts Public visibility) and ignores a
    /// job token here.
    public func keys(ofUser idOrUsername: String, authenticated: Bool = false) async throws(GitLabError) -> [SSHKey] {
        let request = GitLabRequest(
            method: .GET, path: "/users/\(PercentEncoding.encode(idOrUsername))/keys",
            resource: "user \(idOrUsername)", anonymous: !authenticated)
        return try checkedOnce(try await paginate(request, of: SSHKey.self), request: request)
    }

    /// The token owner's keys (`GET /user/keys`).
    public func ownKeys() async throws(GitLabError) -> [SSHKey] {
        let request = GitLabRequest(method: .GET, path: "/user/keys", resource: "your keys")
        return try checkedOnce(try await paginate(request, of: SSHKey.self), request: request)
    }

    /// GitLab keeps a key once per instance (its fingerprint is unique) under one id: a listing
    /// naming an id or a key twice leaves open which entry is true (a key listed as expired or
    /// for authentication, and again as a signing key; revoke deleting one id of two), so it is
    /// refused rather than read either way.
    private func checkedOnce(_ keys: [SSHKey], request: GitLabRequest) throws(GitLabError) -> [SSHKey] {
        var ids = Set<Int>()
        var bodies = Set<String>()
        for key in keys {
            guard ids.insert(key.id).inserted, bodies.insert(key.publicKeyWithoutComment).inserted else {
                throw GitLabError(
                    .malformedResponse, request: request.label(server),
                    hint: "GitLab's listing names key \(key.id) or its public key twice; GitLab keeps each key once")
            }
        }
        return keys
    }

    /// Adds a key to the token owner's profile (`POST /user/keys`); GitLab e-mails the owner.
    /// An answer that describes another key (a proxy's stale answer, say) proves nothing about
    /// this one: it fails with `malformedResponse`, as an unreadable answer does, so the caller
    /// reads the profile back instead of recording that key's id.
    public func addOwnKey(_ key: NewSSHKey) async throws(GitLabError) -> SSHKey {
        let request = GitLabRequest(
            method: .POST, path: "/user/keys", body: try key.jsonBody(), resource: "your keys",
            bodySummary: "title=\(key.title) usage_type=\(key.usageType.rawValue)")
        let response = try await send(request)
        let added = try decode(SSHKey.self, from: response, request: request)
        let sent = key.key.split(separator: " ", maxSplits: 2).prefix(2).joined(separator: " ")
        guard added.publicKeyWithoutComment == sent else {
            throw GitLabError(
                .malformedResponse, status: response.status, request: request.label(server),
                hint: "GitLab's answer to adding the key describes another key (id \(added.id)); whether this one was added is not known from it")
        }
        return added
    }

    /// Deletes one of the token owner's keys (`DELETE /user/keys/:key_id`).
    public func deleteOwnKey(id: Int) async throws(GitLabError) {
        _ = try await send(GitLabRequest(method: .DELETE, path: "/user/keys/\(id)", resource: "key \(id)"))
    }

    /// Deletes another user's key; needs an administrator token (`DELETE /users/:id/keys/:key_id`).
    public func deleteKey(id: Int, ofUserID userID: Int) async throws(GitLabError) {
        let request = GitLabRequest(
            method: .DELETE, path: "/users/\(userID)/keys/\(id)", resource: "key \(id) of user \(userID)")
        _ = try await send(request)
    }

    /// One of the token owner's keys (`GET /user/keys/:key_id`), nil when GitLab has no such key.
    public func ownKey(id: Int) async throws(GitLabError) -> SSHKey? {
        try await singleKey(GitLabRequest(method: .GET, path: "/user/keys/\(id)", resource: "key \(id)"))
    }

    /// One key of a user's profile (`GET /users/:id/keys/:key_id`), nil when GitLab has no such key.
    public func key(id: Int, ofUserID userID: Int) async throws(GitLabError) -> SSHKey? {
        try await singleKey(GitLabRequest(
            method: .GET, path: "/users/\(userID)/keys/\(id)", resource: "key \(id) of user \(userID)"))
    }

    private func singleKey(_ request: GitLabRequest) async throws(GitLabError) -> SSHKey? {
        do {
            return try decode(SSHKey.self, from: try await send(request), request: request)
        } catch where error.code == .notFound {
            return nil
        }
    }
}
