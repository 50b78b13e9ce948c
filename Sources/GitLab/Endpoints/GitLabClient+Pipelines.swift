extension GitLabClient {
    /// A pipeline of a project (`GET /projects/:id/pipelines/:pipeline_id`), with its creator.
    /// Only the newest GitLab versions accept a CI job token here (for the job's own project);
    /// older ones refuse it. So one is never sent: the call needs a user, project or group token
    /// that may read the project's pipelines (`read_api`).
    public func pipeline(_ id: Int, in project: ProjectReference) async throws(GitLabError) -> GitLabPipeline {
        guard id > 0 else { throw GitLabError(.invalidArgument, hint: "pipeline id must be positive") }
        if case .jobToken = credentials {
            throw GitLabError(
                .invalidArgument, hint: "not every GitLab version lets a CI job token read pipelines; use a read_api access token")
        }
        let project = try project.validated()
        let request = GitLabRequest(
            method: .GET, path: "/projects/\(project.pathSegment)/pipelines/\(id)",
            resource: "pipeline \(id) of \(project)")
        return try decode(GitLabPipeline.self, from: try await send(request), request: request)
    }
}
