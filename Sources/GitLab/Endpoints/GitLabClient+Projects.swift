import Foundation

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

    /// The deployments created at or after `since`, newest first (`order_by=id&sort=desc`):
    /// pages stop at the first deployment created before `since`, so the cost follows what is
    /// new, not the project's history (never-played deploy jobs keep their deployments forever).
    /// More than `maxPages` pages of newer deployments fails with `paginationLimitExceeded`.
    public func deployments(
        of reference: ProjectReference, createdSince since: Date, maxPages: Int = 5
    ) async throws(GitLabError) -> [GitLabDeployment] {
        let reference = try reference.validated()
        let request = GitLabRequest(
            method: .GET, path: "/projects/\(reference.pathSegment)/deployments",
            query: [("order_by", "id"), ("sort", "desc"), ("per_page", String(options.perPage))],
            resource: reference.description)
        var found: [GitLabDeployment] = []
        var nextURL: String?
        for _ in 0..<max(maxPages, 1) {
            let response = try await send(request, url: nextURL)
            let page = try decode([GitLabDeployment].self, from: response, request: request)
            // A deployment without a creation time cannot prove it is older: keep reading.
            let newer = page.prefix { ($0.createdAt ?? since) >= since }
            found += newer
            guard newer.count == page.count,
                let next = try nextPageURL(response, request: request, itemCount: page.count)
            else { return found }
            guard next != nextURL else {
                throw GitLabError(.malformedResponse, request: request.label(server), hint: "the next-page link points at the same page")
            }
            nextURL = next
        }
        throw GitLabError(
            .paginationLimitExceeded, request: request.label(server),
            hint: "more than \(maxPages * options.perPage) deployments are newer than the pipeline")
    }
}
