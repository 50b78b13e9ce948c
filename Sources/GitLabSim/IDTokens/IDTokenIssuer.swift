import Foundation

/// The ID tokens a job's script receives, one variable per `id_tokens:` entry, with GitLab's
/// claim set (doc/ci/secrets/id_token_authentication.md): ids and booleans as JSON strings,
/// `runner_id` a number, environment claims only for jobs with an environment.
enum IDTokenIssuer {
    /// GitLab's `nbf` is five seconds before `iat`; tokens live for the job's timeout plus five minutes.
    static let notBeforeLeeway = 5
    static let extraLifetime = 300

    static func variables(for job: JobRecord, in world: SimWorld) -> [(String, String)] {
        guard let specs = specs(for: job, in: world), let signing = world.idTokens.current else { return [] }
        return specs.keys.sorted().compactMap { name in
            guard let spec = specs[name] else { return nil }
            let claims = self.claims(for: job, audience: spec, in: world)
            return (try? IDTokenJWT.sign(claims: claims, with: signing)).map { (name, $0) }
        }
    }

    /// The job's own `id_tokens:`, or those of the job it is a retry of.
    static func specs(for job: JobRecord, in world: SimWorld) -> [String: SimSeed.IDTokenSpec]? {
        var current: JobRecord? = job
        var hops = 0
        while let record = current, hops < 64 {
            if let specs = world.idTokens.specs[record.id] { return specs }
            current = record.retriedFromId.flatMap { world.jobs[$0] }
            hops += 1
        }
        return nil
    }

    static func claims(for job: JobRecord, audience: SimSeed.IDTokenSpec, in world: SimWorld) -> JSONValue {
        guard let pipeline = world.pipelines[job.pipelineId], let project = world.projects[job.projectId] else { return .object([]) }
        let now = Int(world.now.timeIntervalSince1970)
        let user = job.userId.flatMap { world.users[$0] }
        let server = URLComponents(string: world.baseURL)
        let host = (server?.host ?? "localhost") + (server?.port.map { ":\($0)" } ?? "")
        let refPath = "refs/heads/\(pipeline.ref)"
        let namespaceID = project.groupId ?? project.ownerUserId ?? 0
        var claims: [(String, JSONValue)] = [
            ("namespace_id", .string(String(namespaceID))),
            ("namespace_path", .string(project.namespacePath)),
            ("project_id", .string(String(project.id))),
            ("project_path", .string(project.pathWithNamespace)),
            ("user_id", .string(user.map { String($0.id) } ?? "")),
            ("user_login", .string(user?.username ?? "")),
            ("user_email", .string(user?.email ?? "")),
            ("pipeline_id", .string(String(pipeline.id))),
            ("pipeline_source", .string(pipeline.source)),
            ("job_id", .string(String(job.id))),
            ("ref", .string(pipeline.ref)),
            ("ref_type", .string("branch")),
            ("ref_path", .string(refPath)),
            ("ref_protected", .string(project.protectedRefs.contains(pipeline.ref) ? "true" : "false")),
        ]
        if let environment = job.environment {
            let protected = world.idTokens.protectedEnvironments[project.id]?.contains(environment) ?? false
            claims += [
                ("environment", .string(environment)),
                ("environment_protected", .string(protected ? "true" : "false")),
                ("deployment_tier", .string(tier(environment))),
                ("environment_action", .string("start")),
            ]
        }
        claims += [
            ("runner_id", .int(1)),
            ("runner_environment", .string("self-hosted")),
            ("sha", .string(pipeline.sha)),
            ("project_visibility", .string(project.visibility)),
            ("ci_config_ref_uri", .string("\(host)/\(project.pathWithNamespace)//.gitlab-ci.yml@\(refPath)")),
            ("ci_config_sha", .string(pipeline.sha)),
            ("jti", .string(UUID().uuidString.lowercased())),
            ("iat", .int(now)),
            ("nbf", .int(now - notBeforeLeeway)),
            ("exp", .int(now + world.runner.timeoutSeconds + extraLifetime)),
            ("iss", .string(world.idTokens.issuer ?? world.baseURL)),
            ("sub", .string("project_path:\(project.pathWithNamespace):ref_type:branch:ref:\(pipeline.ref)")),
            ("aud", audience.audIsList ? .array(audience.aud.map(JSONValue.string)) : .string(audience.aud.first ?? "")),
        ]
        return .object(claims)
    }

    /// GitLab's guess of the deployment tier from the environment's name.
    static func tier(_ environment: String) -> String {
        let name = environment.lowercased()
        if name.hasPrefix("prod") || name.hasPrefix("live") { return "production" }
        if name.hasPrefix("stag") || name.hasPrefix("pre") { return "staging" }
        if name.hasPrefix("test") || name.hasPrefix("qa") { return "testing" }
        if name.hasPrefix("dev") || name.hasPrefix("review") { return "development" }
        return "other"
    }
}

/// `GET /oauth/discovery/keys` (the JWKS) and `GET /.well-known/openid-configuration`,
/// anonymous as on GitLab.
enum IDTokensAPI {
    static let routes: [Route] = [
        Route("GET", "oauth/discovery/keys", auth: .optionalUser, handler: keys),
        Route("GET", ".well-known/openid-configuration", auth: .optionalUser, handler: configuration),
    ]

    static func keys(_ context: APIContext) throws(APIError) -> SimResponse {
        context.store.withWorld { world in .json(world.idTokens.jwks) }
    }

    static func configuration(_ context: APIContext) throws(APIError) -> SimResponse {
        context.store.withWorld { world in
            .json(.object([
                ("issuer", .string(world.idTokens.issuer ?? world.baseURL)),
                ("jwks_uri", .string("\(world.baseURL)/oauth/discovery/keys")),
                ("response_types_supported", .array([.string("code"), .string("token"), .string("id_token")])),
                ("subject_types_supported", .array([.string("public")])),
                ("id_token_signing_alg_values_supported", .array([.string("RS256")])),
            ]))
        }
    }
}
