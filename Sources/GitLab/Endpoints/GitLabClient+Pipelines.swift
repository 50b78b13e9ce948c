extension GitLabClient {
    /// A pipeline of a project (`GET /projects/:id/pipelines/:pipeline_id`), with its creator.
    /// GitLab refuses CI job tokens here, so one is never sent: the call needs a user, project or
    /// group token that may read the project's pipelines (`read_api`).
    public func pipeline(_ id: Int, in project: ProjectReference) async throws(GitLabError) -> GitLabPipeline {
        guard id > 0 else { throw GitLabError(.invalidArgument, hint: "pipeline id must be positive") }
        if case .jobToken = credentials {
            throw GitLabError(
                .invalidArgument, hint: "a CI job token cannot read pipelines; use a read_api access token")
        }
        let project = try project.validated()
        let request = GitLabRequest(
            method: .GET, path: "/projects/\(project.pathSegment)/pipelines/\(id)",
            resource: "pipeline \(id) of \(project)")
        return try decode(GitLabPipeline.self, from: try await send(request), request: request)
    }
}
