import Foundation

/// `GET /projects/:id/deployments` (personal or job token), following GitLab's
/// lib/api/deployments.rb and app/finders/deployments_finder.rb: default order `id asc`;
/// `created_at` and `iid` order as `id`; `updated_*` filters need `order_by=updated_at`,
/// `finished_*` filters need `order_by=finished_at` and `status=success` (400 otherwise).
/// A deployment's status follows its job (app/models/deployment.rb `sync_status_with`).
enum DeploymentsAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/projects/:id/deployments", auth: .userOrJobToken, handler: list),
    ]

    static let statuses: Set<String> = ["created", "running", "success", "failed", "canceled", "skipped", "blocked"]
    static let orders: Set<String> = ["id", "iid", "created_at", "updated_at", "finished_at", "ref"]
    static let finishedStatuses: Set<String> = ["success", "failed", "canceled", "skipped"]

    /// The listing's parameters, checked in GitLab's order: Grape's value checks, then the finder's.
    struct Query {
        var order = "id"
        var descending = false
        var environment: String?
        var status: String?
        var updatedAfter: Date?
        var updatedBefore: Date?
        var finishedAfter: Date?
        var finishedBefore: Date?

        init(_ request: SimRequest) throws(APIError) {
            environment = request.queryValue("environment")
            status = request.queryValue("status")
            if let status, !DeploymentsAPI.statuses.contains(status) { throw .grape("status does not have a valid value") }
            if let order = request.queryValue("order_by") {
                guard DeploymentsAPI.orders.contains(order) else { throw .grape("order_by does not have a valid value") }
                self.order = order
            }
            switch request.queryValue("sort") {
            case nil, "asc": descending = false
            case "desc": descending = true
            default: throw .grape("sort does not have a valid value")
            }
            updatedAfter = try Self.date("updated_after", request)
            updatedBefore = try Self.date("updated_before", request)
            finishedAfter = try Self.date("finished_after", request)
            finishedBefore = try Self.date("finished_before", request)
            try validate()
        }

        /// `DeploymentsFinder#validate!`.
        private func validate() throws(APIError) {
            let byUpdated = updatedAfter != nil || updatedBefore != nil
            let byFinished = finishedAfter != nil || finishedBefore != nil
            if byUpdated && byFinished {
                throw .badRequest("Both `updated_at` filter and `finished_at` filter can not be specified")
            }
            if byUpdated && order != "updated_at" { throw .badRequest("`updated_at` filter requires `updated_at` sort") }
            if byFinished && order != "finished_at" { throw .badRequest("`finished_at` filter requires `finished_at` sort.") }
            if order == "finished_at" && !(byFinished || status.map(DeploymentsAPI.finishedStatuses.contains) == true) {
                throw .badRequest("`finished_at` sort requires `finished_at` filter or a filter with at least one of the finished statuses.")
            }
            if byFinished && status != "success" {
                throw .badRequest("`finished_at` filter must be combined with `success` status filter.")
            }
        }

        private static func date(_ name: String, _ request: SimRequest) throws(APIError) -> Date? {
            guard let text = request.queryValue(name) else { return nil }
            guard let date = SimClock.parse(text) else { throw .grape("\(name) is invalid") }
            return date
        }
    }

    static func list(_ context: APIContext) throws(APIError) -> SimResponse {
        let query = try Query(context.request)
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let project = try ProjectsAPI.project(context, in: world)
            if case .user(let user, _) = context.caller, !world.canReadBuilds(project: project, as: user) {
                throw .forbidden
            }
            let rows = world.deployments.values
                .filter { $0.projectId == project.id && matches($0, query, in: world) }
                .map { (deployment: $0, key: sortKey($0, query.order, in: world)) }
                .sorted { query.descending ? $0.key > $1.key : $0.key < $1.key }
            return try Pagination.page(rows, request: context.request, baseURL: world.baseURL) { row in
                render(row.deployment, in: world)
            }
        }
    }

    private static func matches(_ deployment: DeploymentRecord, _ query: Query, in world: SimWorld) -> Bool {
        if let environment = query.environment, world.environments[deployment.environmentId]?.name != environment { return false }
        if let status = query.status, world.status(ofDeployment: deployment) != status { return false }
        let updated = world.updatedAt(ofDeployment: deployment)
        if let after = query.updatedAfter, updated < after { return false }
        if let before = query.updatedBefore, updated > before { return false }
        if query.finishedAfter != nil || query.finishedBefore != nil {
            guard let finished = world.finishedAt(ofDeployment: deployment) else { return false }
            if let after = query.finishedAfter, finished < after { return false }
            if let before = query.finishedBefore, finished > before { return false }
        }
        return true
    }

    /// Sort key with `id` as the tie-breaker, as the finder orders.
    private static func sortKey(_ deployment: DeploymentRecord, _ order: String, in world: SimWorld) -> SortKey {
        switch order {
        case "updated_at": SortKey(text: "", time: world.updatedAt(ofDeployment: deployment).timeIntervalSince1970, id: deployment.id)
        case "finished_at":
            SortKey(text: "", time: world.finishedAt(ofDeployment: deployment)?.timeIntervalSince1970 ?? 0, id: deployment.id)
        case "ref":
            SortKey(text: world.jobs[deployment.jobId].flatMap { world.pipelines[$0.pipelineId]?.ref } ?? "", time: 0, id: deployment.id)
        default: SortKey(text: "", time: 0, id: deployment.id)
        }
    }

    struct SortKey: Comparable {
        var text: String
        var time: Double
        var id: Int

        static func < (lhs: SortKey, rhs: SortKey) -> Bool {
            (lhs.text, lhs.time, lhs.id) < (rhs.text, rhs.time, rhs.id)
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
            ("updated_at", .string(SimClock.format(world.updatedAt(ofDeployment: deployment)))),
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
    /// `Deployment#sync_status_with`: the job's status, `manual` read as `blocked`; statuses a
    /// deployment does not have (`pending`, …) leave it as it was: `blocked` for a played manual
    /// job until it runs, `created` otherwise.
    func status(ofDeployment deployment: DeploymentRecord) -> String {
        guard let job = jobs[deployment.jobId] else { return "created" }
        switch job.status {
        case "manual": return "blocked"
        case "running", "success", "failed", "canceled", "skipped": return job.status
        default: return job.startedManually ? "blocked" : "created"
        }
    }

    func updatedAt(ofDeployment deployment: DeploymentRecord) -> Date {
        let job = jobs[deployment.jobId]
        return job?.finishedAt ?? job?.startedAt ?? deployment.createdAt
    }

    /// Set when the deployment finished (success, failed, canceled).
    func finishedAt(ofDeployment deployment: DeploymentRecord) -> Date? {
        guard let job = jobs[deployment.jobId], ["success", "failed", "canceled"].contains(job.status) else { return nil }
        return job.finishedAt
    }
}
