extension GitLabClient {
    /// A project by id or full path (`GET /projects/:id`).
    public func project(_ reference: ProjectReference) async throws(GitLabError) -> GitLabProject {
        let reference = try reference.validated()
        let request = GitLabRequest(method: .GET, path: "/projects/\(reference.pathSegment)", resource: reference.description)
        return try decode(GitLabProject.self, from: try await send(request), request: request)
    }

    /// Deployments of a project, optionally of one environment or status (`GET /projects/:id/deployments`).
    public func deployments(
        of reference: ProjectReference, environment: String? = nil, status: String? = nil
    ) async throws(GitLabError) -> [GitLabDeployment] {
        let reference = try reference.validated()
        var query: [(String, String)] = [("order_by", "id"), ("sort", "desc")]
        if let environment { query.append(("environment", environment)) }
        if let status { query.append(("status", status)) }
        let request = GitLabRequest(
            method: .GET, path: "/projects/\(reference.pathSegment)/deployments", query: query,
            resource: reference.description)
        return try await paginate(request, of: GitLabDeployment.self)
    }
}
