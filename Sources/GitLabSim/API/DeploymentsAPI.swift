import Foundation

/// `GET /projects/:id/deployments` (personal or job token). A deployment's status follows its job.
enum DeploymentsAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/projects/:id/deployments", auth: .userOrJobToken, handler: list),
    ]

    static let statuses: Set<String> = ["created", "running", "success", "failed", "canceled", "skipped", "blocked"]

    static func list(_ context: APIContext) throws(APIError) -> SimResponse {
        let request = context.request
        let environment = request.queryValue("environment")
        let status = request.queryValue("status")
        if let status, !statuses.contains(status) { throw .grape("status does not have a valid value") }
        let descending = try sortDescending(request)
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let project = try ProjectsAPI.project(context, in: world)
            if case .user(let user, _) = context.caller, !world.canReadBuilds(project: project, as: user) {
                throw .forbidden
            }
            let rows = world.deployments.values
                .filter { $0.projectId == project.id }
                .filter { environment == nil || world.environments[$0.environmentId]?.name == environment }
                .filter { status == nil || world.status(ofDeployment: $0) == status }
                .sorted { descending ? $0.id > $1.id : $0.id < $1.id }
            return try Pagination.page(rows, request: request, baseURL: world.baseURL) { deployment in
                render(deployment, in: world)
            }
        }
    }

    private static func sortDescending(_ request: SimRequest) throws(APIError) -> Bool {
        if let order = request.queryValue("order_by"), order != "id" && order != "iid" && order != "created_at" {
            throw .grape("order_by does not have a valid value")
        }
        switch request.queryValue("sort") {
        case nil, "asc": return false
        case "desc": return true
        default: throw .grape("sort does not have a valid value")
        }
    }

    static func render(_ deployment: DeploymentRecord, in world: SimWorld) -> JSONValue {
        let job = world.jobs[deployment.jobId]
        let pipeline = job.flatMap { world.pipelines[$0.pipelineId] }
        let environment = world.environments[deployment.environmentId]
        let project = world.projects[deployment.projectId]
        return .object([
            ("id", .int(deployment.id)),
            ("iid", .int(deployment.iid)),
            ("ref", .optional(pipeline?.ref)),
            ("sha", .optional(pipeline?.sha)),
            ("created_at", .string(SimClock.format(deployment.createdAt))),
            ("updated_at", .string(SimClock.format(job?.finishedAt ?? job?.startedAt ?? deployment.createdAt))),
            ("status", .string(world.status(ofDeployment: deployment))),
            ("user", job?.userId.flatMap { world.users[$0] }.map { Entities.user($0, in: world) } ?? .null),
            ("environment", .object([
                ("id", .int(deployment.environmentId)),
                ("name", .optional(environment?.name)),
                ("external_url", .null),
                ("web_url", .string("\(world.baseURL)/\(project?.pathWithNamespace ?? "")/-/environments/\(deployment.environmentId)")),
            ])),
            ("deployable", job.map { Entities.job($0, in: world) } ?? .null),
        ])
    }
}

extension SimWorld {
    /// `created` while the job waits (manual/pending), then the job's own outcome.
    func status(ofDeployment deployment: DeploymentRecord) -> String {
        switch jobs[deployment.jobId]?.status {
        case "running": "running"
        case "success": "success"
        case "failed": "failed"
        case "canceled": "canceled"
        case "skipped": "skipped"
        default: "created"
        }
    }
}
