import Foundation

/// The environment of a job's script: GitLab's predefined variables, then job YAML variables,
/// project variables, and last the manual job variables, each overriding what came before
/// (GitLab's precedence: pipeline variables override predefined ones). PATH and HOME come
/// from the simulator's own environment, with the seed's `path_prepend` in front.
enum JobEnvironment {
    static func variables(
        for job: JobRecord, token: String, workingDirectory: String, in world: SimWorld,
        hostEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String: String] {
        var env: [String: String] = [:]
        let path = (world.runner.pathPrepend + [hostEnvironment["PATH"] ?? "/usr/bin:/bin"]).joined(separator: ":")
        env["PATH"] = path
        if let home = hostEnvironment["HOME"] { env["HOME"] = home }
        for (key, value) in predefined(for: job, token: token, workingDirectory: workingDirectory, in: world) {
            env[key] = value
        }
        for (key, value) in IDTokenIssuer.variables(for: job, in: world) { env[key] = value }
        for (key, value) in job.yamlVariables { env[key] = value }
        for (key, value) in world.projects[job.projectId]?.variables ?? [:] { env[key] = value }
        for variable in job.jobVariables { env[variable.key] = variable.value }
        return env
    }

    static func predefined(
        for job: JobRecord, token: String, workingDirectory: String, in world: SimWorld
    ) -> [(String, String)] {
        guard let pipeline = world.pipelines[job.pipelineId], let project = world.projects[job.projectId] else {
            return []
        }
        let server = URLComponents(string: world.baseURL)
        let host = server?.host ?? "localhost"
        let port = server?.port.map(String.init) ?? "80"
        let user = job.userId.flatMap { world.users[$0] }
        let projectURL = "\(world.baseURL)/\(project.pathWithNamespace)"
        var vars: [(String, String)] = [
            ("CI", "true"),
            ("GITLAB_CI", "true"),
            ("CI_SERVER", "yes"),
            ("CI_SERVER_URL", world.baseURL),
            ("CI_SERVER_HOST", host),
            ("CI_SERVER_PORT", port),
            ("CI_SERVER_PROTOCOL", server?.scheme ?? "http"),
            ("CI_SERVER_FQDN", "\(host):\(port)"),
            ("CI_API_V4_URL", "\(world.baseURL)/api/v4"),
            ("CI_PROJECT_ID", String(project.id)),
            ("CI_PROJECT_PATH", project.pathWithNamespace),
            ("CI_PROJECT_NAME", project.path),
            ("CI_PROJECT_NAMESPACE", project.namespacePath),
            ("CI_PROJECT_URL", projectURL),
            ("CI_PROJECT_DIR", workingDirectory),
            ("CI_PROJECT_VISIBILITY", project.visibility),
            ("CI_DEFAULT_BRANCH", project.defaultBranch),
            ("CI_PIPELINE_ID", String(pipeline.id)),
            ("CI_PIPELINE_IID", String(pipeline.iid)),
            ("CI_PIPELINE_SOURCE", pipeline.source),
            ("CI_PIPELINE_URL", "\(projectURL)/-/pipelines/\(pipeline.id)"),
            ("CI_JOB_ID", String(job.id)),
            ("CI_JOB_NAME", job.name),
            ("CI_JOB_STAGE", job.stage),
            ("CI_JOB_URL", "\(projectURL)/-/jobs/\(job.id)"),
            ("CI_JOB_STARTED_AT", Date.ISO8601FormatStyle().format(job.startedAt ?? Date())),
            ("CI_JOB_TOKEN", token),
            ("CI_COMMIT_SHA", pipeline.sha),
            ("CI_COMMIT_SHORT_SHA", String(pipeline.sha.prefix(8))),
            ("CI_COMMIT_REF_NAME", pipeline.ref),
            ("CI_COMMIT_REF_SLUG", slug(pipeline.ref)),
            ("CI_COMMIT_BRANCH", pipeline.ref),
            ("CI_COMMIT_REF_PROTECTED", project.protectedRefs.contains(pipeline.ref) ? "true" : "false"),
            ("CI_COMMIT_TITLE", pipeline.commit.title),
            ("CI_COMMIT_MESSAGE", pipeline.commit.message),
            ("CI_COMMIT_AUTHOR", "\(pipeline.commit.authorName) <\(pipeline.commit.authorEmail)>"),
            ("GITLAB_USER_ID", user.map { String($0.id) } ?? ""),
            ("GITLAB_USER_LOGIN", user?.username ?? ""),
            ("GITLAB_USER_NAME", user?.name ?? ""),
            ("GITLAB_USER_EMAIL", user?.email ?? ""),
        ]
        if job.startedManually { vars.append(("CI_JOB_MANUAL", "true")) }
        if let environment = job.environment {
            vars += [("CI_ENVIRONMENT_NAME", environment), ("CI_ENVIRONMENT_SLUG", slug(environment)), ("CI_ENVIRONMENT_ACTION", job.environmentAction ?? "start")]
        }
        return vars
    }

    /// GitLab's `*_SLUG`: lowercased, non-alphanumerics to `-`, at most 63 characters, trimmed of `-`.
    static func slug(_ text: String) -> String {
        let mapped = String(text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        return String(mapped.prefix(63)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
