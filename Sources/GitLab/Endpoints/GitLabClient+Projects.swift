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

    /// One page of a project's deployments, newest first (`order_by=id&sort=desc`).
    public struct DeploymentPage: Sendable {
        public let deployments: [GitLabDeployment]
        /// How many pages were read so far, this one included.
        public let number: Int
        let next: String?

        /// Whether GitLab has a further page.
        public var hasNext: Bool { next != nil }
    }

    /// The first page of the project's deployments, newest first, or the page after `previous`
    /// (nil when there is none). Read newest first, a listing can stop as soon as it reaches what
    /// is older than the caller cares about: never-played deploy jobs keep their deployments
    /// forever, so a whole listing grows without bound.
    public func deploymentsNewestFirst(
        of reference: ProjectReference, after previous: DeploymentPage? = nil
    ) async throws(GitLabError) -> DeploymentPage? {
        let reference = try reference.validated()
        let request = GitLabRequest(
            method: .GET, path: "/projects/\(reference.pathSegment)/deployments",
            query: [("order_by", "id"), ("sort", "desc"), ("per_page", String(options.perPage))],
            resource: reference.description)
        if let previous, previous.next == nil { return nil }
        let response = try await send(request, url: previous?.next)
        let page = try decode([GitLabDeployment].self, from: response, request: request)
        let next = try nextPageURL(response, request: request, fetched: previous?.next, itemCount: page.count)
        if let next, next == previous?.next {
            throw GitLabError(.malformedResponse, request: request.label(server), hint: "the next-page link points at the same page")
        }
        return DeploymentPage(deployments: page, number: (previous?.number ?? 0) + 1, next: next)
    }
}
