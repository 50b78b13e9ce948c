import Foundation

/// GitLab's JSON entities, field order as GitLab's presenters declare them.
enum Entities {
    static func userBasic(_ user: UserRecord, in world: SimWorld) -> [(String, JSONValue)] {
        [
            ("id", .int(user.id)),
            ("username", .string(user.username)),
            ("public_email", .null),
            ("name", .string(user.name)),
            ("state", .string(user.state.rawValue)),
            ("locked", .bool(false)),
            ("avatar_url", .string("\(world.baseURL)/uploads/-/system/user/avatar/\(user.id)/avatar.png")),
            ("web_url", .string("\(world.baseURL)/\(user.username)")),
        ]
    }

    /// UserBasic plus the profile fields GitLab shows with a job's `user`.
    static func user(_ user: UserRecord, in world: SimWorld) -> JSONValue {
        .object(userBasic(user, in: world) + profile(user))
    }

    static func profile(_ user: UserRecord) -> [(String, JSONValue)] {
        [
            ("created_at", .string(SimClock.format(user.createdAt))),
            ("bio", .string("")),
            ("location", .string("")),
            ("linkedin", .string("")),
            ("twitter", .string("")),
            ("discord", .string("")),
            ("website_url", .string("")),
            ("organization", .string("")),
            ("job_title", .string("")),
            ("pronouns", .null),
            ("bot", .bool(false)),
            ("work_information", .null),
            ("local_time", .null),
        ]
    }

    /// `GET /user`: UserPublic, and `is_admin` for administrators (UserWithAdmin).
    static func currentUser(_ user: UserRecord, in world: SimWorld) -> JSONValue {
        var fields = userBasic(user, in: world) + profile(user) + [
            ("last_sign_in_at", .null),
            ("confirmed_at", .string(SimClock.format(user.createdAt))),
            ("last_activity_on", .null),
            ("email", .optional(user.email)),
            ("theme_id", .int(1)),
            ("color_scheme_id", .int(1)),
            ("projects_limit", .int(100000)),
            ("current_sign_in_at", .null),
            ("identities", .array([])),
            ("can_create_group", .bool(true)),
            ("can_create_project", .bool(true)),
            ("two_factor_enabled", .bool(false)),
            ("external", .bool(false)),
            ("private_profile", .bool(false)),
            ("commit_email", .optional(user.email)),
        ]
        if user.admin { fields.append(("is_admin", .bool(true))) }
        return .object(fields)
    }

    static func key(_ key: KeyRecord, in world: SimWorld) -> JSONValue {
        let owner = world.users[key.userId]?.name ?? ""
        return .object([
            ("id", .int(key.id)),
            ("title", .string(key.title)),
            ("created_at", .string(SimClock.format(key.createdAt))),
            ("expires_at", SimClock.format(key.expiresAt)),
            ("key", .string("\(key.parsed.type) \(key.parsed.base64Blob) \(owner) (\(world.host))")),
            ("usage_type", .string(key.usageType)),
        ])
    }

    static func commit(_ pipeline: PipelineRecord, in world: SimWorld) -> JSONValue {
        let c = pipeline.commit
        let created = SimClock.format(pipeline.createdAt)
        let path = world.projects[pipeline.projectId]?.pathWithNamespace ?? ""
        return .object([
            ("id", .string(pipeline.sha)),
            ("short_id", .string(String(pipeline.sha.prefix(8)))),
            ("created_at", .string(created)),
            ("parent_ids", .array([])),
            ("title", .string(c.title)),
            ("message", .string(c.message)),
            ("author_name", .string(c.authorName)),
            ("author_email", .string(c.authorEmail)),
            ("authored_date", .string(created)),
            ("committer_name", .string(c.authorName)),
            ("committer_email", .string(c.authorEmail)),
            ("committed_date", .string(created)),
            ("trailers", .object([])),
            ("extended_trailers", .object([])),
            ("web_url", .string("\(world.baseURL)/\(path)/-/commit/\(pipeline.sha)")),
        ])
    }

    static func pipelineBasic(_ pipeline: PipelineRecord, in world: SimWorld) -> JSONValue {
        let path = world.projects[pipeline.projectId]?.pathWithNamespace ?? ""
        return .object([
            ("id", .int(pipeline.id)),
            ("iid", .int(pipeline.iid)),
            ("project_id", .int(pipeline.projectId)),
            ("sha", .string(pipeline.sha)),
            ("ref", .string(pipeline.ref)),
            ("status", .string(world.status(ofPipeline: pipeline.id))),
            ("source", .string(pipeline.source)),
            ("created_at", .string(SimClock.format(pipeline.createdAt))),
            ("updated_at", .string(SimClock.format(pipeline.createdAt))),
            ("web_url", .string("\(world.baseURL)/\(path)/-/pipelines/\(pipeline.id)")),
        ])
    }

    /// Entities::Ci::Pipeline: PipelineBasic plus the creator (`user`, UserBasic), times and
    /// the detailed status. Times derive from the pipeline's jobs.
    static func pipeline(_ pipeline: PipelineRecord, in world: SimWorld) -> JSONValue {
        guard case .object(var fields) = pipelineBasic(pipeline, in: world) else { return .null }
        let path = world.projects[pipeline.projectId]?.pathWithNamespace ?? ""
        let status = world.status(ofPipeline: pipeline.id)
        let jobs = world.jobs(ofPipeline: pipeline.id).filter { !$0.retried }
        let started = jobs.compactMap(\.startedAt).min()
        let finished = ["success", "failed", "canceled", "skipped"].contains(status) ? jobs.compactMap(\.finishedAt).max() : nil
        fields += [
            ("before_sha", .string(String(repeating: "0", count: 40))),
            ("tag", .bool(false)),
            ("yaml_errors", .null),
            ("user", pipeline.userId.flatMap { world.users[$0] }.map { .object(userBasic($0, in: world)) } ?? .null),
            ("started_at", SimClock.format(started)),
            ("finished_at", SimClock.format(finished)),
            ("committed_at", .null),
            ("duration", .optional(started.flatMap { start in finished.map { $0.timeIntervalSince(start) } })),
            ("queued_duration", .null),
            ("coverage", .null),
            ("detailed_status", .object([
                ("icon", .string("status_\(status)")), ("text", .string(status)), ("label", .string(status)),
                ("group", .string(status)), ("tooltip", .string(status)), ("has_details", .bool(true)),
                ("details_path", .string("/\(path)/-/pipelines/\(pipeline.id)")), ("illustration", .null),
                ("favicon", .string("/assets/ci_favicons/favicon_status_\(status).png")),
            ])),
        ]
        return .object(fields)
    }

    /// Entities::Ci::Job. No `environment` field, as in GitLab.
    static func job(_ job: JobRecord, in world: SimWorld, now: Date = Date()) -> JSONValue {
        guard let pipeline = world.pipelines[job.pipelineId] else { return .null }
        let path = world.projects[job.projectId]?.pathWithNamespace ?? ""
        let duration = job.startedAt.map { (job.finishedAt ?? now).timeIntervalSince($0) }
        let queued = job.queuedAt.map { (job.startedAt ?? now).timeIntervalSince($0) }
        var fields: [(String, JSONValue)] = [
            ("id", .int(job.id)),
            ("status", .string(job.status)),
            ("stage", .string(job.stage)),
            ("name", .string(job.name)),
            ("ref", .string(pipeline.ref)),
            ("tag", .bool(false)),
            ("coverage", .null),
            ("allow_failure", .bool(job.allowFailure)),
            ("created_at", .string(SimClock.format(job.createdAt))),
            ("started_at", SimClock.format(job.startedAt)),
            ("finished_at", SimClock.format(job.finishedAt)),
            ("erased_at", .null),
            ("duration", .optional(duration)),
            ("queued_duration", .optional(queued)),
            ("user", job.userId.flatMap { world.users[$0] }.map { user($0, in: world) } ?? .null),
            ("commit", pipeline.commitMissing ? .null : commit(pipeline, in: world)),
            ("pipeline", pipelineBasic(pipeline, in: world)),
        ]
        if job.status == "failed" { fields.append(("failure_reason", .optional(job.failureReason))) }
        fields += [
            ("web_url", .string("\(world.baseURL)/\(path)/-/jobs/\(job.id)")),
            ("project", .object([("ci_job_token_scope_enabled", .bool(true))])),
            ("artifacts", .array([])),
            ("runner", .null),
            ("runner_manager", .null),
            ("artifacts_expire_at", .null),
            ("archived", .bool(false)),
            ("tag_list", .array(job.tagList.map(JSONValue.string))),
        ]
        return .object(fields)
    }

    static func member(_ member: MemberRecord, user: UserRecord, in world: SimWorld) -> JSONValue {
        .object(userBasic(user, in: world).filter { $0.0 != "public_email" } + [
            ("access_level", .int(member.accessLevel)),
            ("created_at", .string(SimClock.format(member.createdAt))),
            ("created_by", .null),
            ("expires_at", member.expiresAt.map { .string(String(SimClock.format($0).prefix(10))) } ?? .null),
            ("membership_state", .string("active")),
        ])
    }

    static func namespace(of project: ProjectRecord, in world: SimWorld) -> JSONValue {
        if let group = project.groupId.flatMap({ world.groups[$0] }) {
            let full = world.fullPath(of: group)
            return .object([
                ("id", .int(group.id)), ("name", .string(group.name)), ("path", .string(group.path)),
                ("kind", .string("group")), ("full_path", .string(full)), ("parent_id", .optional(group.parentId)),
                ("avatar_url", .null), ("web_url", .string("\(world.baseURL)/groups/\(full)")),
            ])
        }
        let owner = project.ownerUserId.flatMap { world.users[$0] }
        return .object([
            ("id", .int(owner?.id ?? 0)), ("name", .string(owner?.name ?? "")),
            ("path", .string(owner?.username ?? "")), ("kind", .string("user")),
            ("full_path", .string(owner?.username ?? "")), ("parent_id", .null), ("avatar_url", .null),
            ("web_url", .string("\(world.baseURL)/\(owner?.username ?? "")")),
        ])
    }
}

extension SimWorld {
    /// A pipeline's status from its latest (not retried) jobs.
    func status(ofPipeline id: Int) -> String {
        let latest = jobs(ofPipeline: id).filter { !$0.retried }
        let statuses = latest.map(\.status)
        if statuses.isEmpty { return "created" }
        for busy in ["running", "pending", "created"] where statuses.contains(busy) { return busy }
        if latest.contains(where: { $0.status == "failed" && !$0.allowFailure }) { return "failed" }
        if statuses.contains("manual") { return "manual" }
        if statuses.allSatisfy({ $0 == "canceled" }) { return "canceled" }
        if statuses.allSatisfy({ $0 == "skipped" }) { return "skipped" }
        return "success"
    }
}
