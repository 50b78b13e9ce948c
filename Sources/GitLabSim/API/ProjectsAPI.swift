import Foundation

/// `GET /projects/:id` and the project lookup every project route shares.
enum ProjectsAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/projects/:id", auth: .optionalUser, handler: show),
    ]

    /// The project named by `:id` (numeric or URL-encoded path) if the caller may see it.
    /// A job token sees only its own project (the default job-token allowlist).
    static func project(_ context: APIContext, in world: SimWorld) throws(APIError) -> ProjectRecord {
        guard let project = world.project(idOrPath: context.path("id")) else { throw .notFound("Project") }
        switch context.caller {
        case .job(let job):
            guard world.jobToken(of: job, reaches: project) else { throw .notFound("Project") }
        default:
            guard world.canRead(project: project, as: context.caller.user) else { throw .notFound("Project") }
        }
        return project
    }

    static func show(_ context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let project = try project(context, in: world)
            return .json(render(project, for: context.caller.user, in: world))
        }
    }

    /// CI settings (`ci_pipeline_variables_minimum_override_role`, `restrict_user_defined_variables`)
    /// appear only for callers who can administer the project (Maintainer+), strict reading.
    static func render(_ project: ProjectRecord, for user: UserRecord?, in world: SimWorld) -> JSONValue {
        let level = world.accessLevel(of: user, in: project)
        let url = "\(world.baseURL)/\(project.pathWithNamespace)"
        var fields: [(String, JSONValue)] = [
            ("id", .int(project.id)),
            ("description", .string("")),
            ("name", .string(project.name)),
            ("name_with_namespace", .string(project.pathWithNamespace.replacingOccurrences(of: "/", with: " / "))),
            ("path", .string(project.path)),
            ("path_with_namespace", .string(project.pathWithNamespace)),
            ("created_at", .string(SimClock.format(project.createdAt))),
            ("default_branch", .string(project.defaultBranch)),
            ("tag_list", .array([])),
            ("topics", .array([])),
            ("ssh_url_to_repo", .string("git@\(world.host):\(project.pathWithNamespace).git")),
            ("http_url_to_repo", .string("\(url).git")),
            ("web_url", .string(url)),
            ("visibility", .string(project.visibility)),
            ("namespace", Entities.namespace(of: project, in: world)),
        ]
        if level >= AccessLevel.maintainer {
            fields += [
                ("restrict_user_defined_variables", .bool(project.restrictUserDefinedVariables)),
                ("ci_pipeline_variables_minimum_override_role", .string(project.overrideRole)),
            ]
        }
        if user != nil { fields.append(("permissions", permissions(project, user: user, in: world))) }
        return .object(fields)
    }

    private static func permissions(_ project: ProjectRecord, user: UserRecord?, in world: SimWorld) -> JSONValue {
        guard let user else { return .null }
        let direct = project.members.first { $0.userId == user.id }
        let group = project.groupId.flatMap { world.groups[$0] }
        let groupLevel = group.flatMap { world.effectiveMembers(ofGroup: $0)[user.id]?.accessLevel }
        let access = { (level: Int?) -> JSONValue in
            guard let level else { return .null }
            return .object([("access_level", .int(level)), ("notification_level", .int(3))])
        }
        return .object([("project_access", access(direct?.accessLevel)), ("group_access", access(groupLevel))])
    }
}
