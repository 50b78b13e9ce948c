import Foundation

extension SimWorld {
    /// Builds the world from a seed, rejecting duplicate ids and dangling references.
    init(seed: SimSeed, baseURL: String, now: Date = Date()) throws(SimError) {
        self.init(baseURL: baseURL)
        runner = seed.runner
        for level in seed.settings.restrictedVisibilityLevels where !["private", "internal", "public"].contains(level) {
            throw .invalidSeed("settings: restricted_visibility_levels \(level)")
        }
        settings = seed.settings
        faults = seed.faults.map { ActiveFault(rule: $0, remaining: $0.count) }
        idTokens = try IDTokenState(seed: seed.idTokens, needed: false)
        for user in seed.users { try add(user: user, now: now) }
        for group in seed.groups { try add(group: group, now: now) }
        for project in seed.projects { try add(project: project, now: now) }
    }

    mutating func add(user seed: SimSeed.User, now: Date) throws(SimError) {
        guard users[seed.id] == nil, user(username: seed.username) == nil else {
            throw .invalidSeed("duplicate user \(seed.id) \(seed.username)")
        }
        for token in seed.tokens where userIdsByToken[token.value] != nil || token.value.isEmpty {
            throw .invalidSeed("user \(seed.username): token already in use or empty")
        }
        for token in seed.tokens where token.expiresAt.map({ SimClock.parse($0) == nil }) ?? false {
            throw .invalidSeed("user \(seed.username): token expires_at is not a date")
        }
        userIdsByUsername[seed.username.lowercased()] = seed.id
        for token in seed.tokens { userIdsByToken[token.value] = seed.id }
        users[seed.id] = UserRecord(
            id: seed.id, username: seed.username, name: seed.name, email: seed.email, admin: seed.admin,
            state: seed.state, tokens: seed.tokens,
            createdAt: seed.createdAt.flatMap(SimClock.parse) ?? now
        )
        for key in seed.keys { try add(seededKey: key, userId: seed.id, now: now) }
    }

    /// Seeded keys must parse and be unique, but may be expired or old. Returns the key's id.
    @discardableResult
    mutating func add(seededKey seed: SimSeed.SSHKey, userId: Int, now: Date) throws(SimError) -> Int {
        let parsed: SSHPublicKey
        do { parsed = try SSHPublicKey(line: seed.key) } catch { throw .invalidSeed("key \(seed.title): not an OpenSSH public key line (\(error))") }
        let usage = seed.usageType ?? "auth_and_signing"
        guard KeyRules.usageTypes.contains(usage) else { throw .invalidSeed("key \(seed.title): usage_type \(usage)") }
        guard key(fingerprint: parsed.fingerprintSHA256) == nil else {
            throw .invalidSeed("key \(seed.title): fingerprint already taken")
        }
        let id = seed.id ?? allocateKeyId()
        guard keys[id] == nil else { throw .invalidSeed("duplicate key id \(id)") }
        insert(key: KeyRecord(
            id: id, userId: userId, title: seed.title, parsed: parsed, usageType: usage,
            createdAt: seed.createdAt.flatMap(SimClock.parse) ?? now,
            expiresAt: seed.expiresAt.flatMap(SimClock.parse)
        ))
        return id
    }

    mutating func add(group seed: SimSeed.Group, now: Date) throws(SimError) {
        guard groups[seed.id] == nil else { throw .invalidSeed("duplicate group \(seed.id)") }
        if let parent = seed.parentId, groups[parent] == nil {
            throw .invalidSeed("group \(seed.id): parent \(parent) must be seeded before it")
        }
        groups[seed.id] = GroupRecord(
            id: seed.id, path: seed.path, name: seed.name ?? seed.path, parentId: seed.parentId,
            visibility: seed.visibility ?? "private", members: try members(seed.members ?? [], now: now)
        )
    }

    mutating func add(project seed: SimSeed.Project, now: Date) throws(SimError) {
        guard projects[seed.id] == nil else { throw .invalidSeed("duplicate project \(seed.id)") }
        let namespace = seed.pathWithNamespace.split(separator: "/").dropLast().joined(separator: "/")
        let group = self.group(idOrPath: namespace).flatMap { Int(namespace) == nil ? $0 : nil }
        let owner = group == nil ? user(username: namespace) : nil
        guard group != nil || owner != nil else {
            throw .invalidSeed("project \(seed.id): namespace '\(namespace)' is neither a seeded group nor a user")
        }
        let role = seed.ciPipelineVariablesMinimumOverrideRole ?? "maintainer"
        guard ["no_one_allowed", "developer", "maintainer", "owner"].contains(role) else {
            throw .invalidSeed("project \(seed.id): ci_pipeline_variables_minimum_override_role \(role)")
        }
        let path = seed.pathWithNamespace.split(separator: "/").last.map(String.init) ?? ""
        projects[seed.id] = ProjectRecord(
            id: seed.id, pathWithNamespace: seed.pathWithNamespace, name: seed.name ?? path,
            groupId: group?.id, ownerUserId: owner?.id, visibility: seed.visibility ?? "private",
            defaultBranch: seed.defaultBranch ?? "main", members: try members(seed.members ?? [], now: now),
            overrideRole: role, restrictUserDefinedVariables: seed.restrictUserDefinedVariables ?? true,
            protectedRefs: seed.protectedRefs ?? [], variables: seed.variables ?? [:],
            workingDirectory: seed.workingDirectory, jobTokenAllowlist: Set(seed.ciJobTokenAllowlist ?? []), createdAt: now
        )
        if let stale = seed.staleDeployments { try addStaleDeployments(stale, projectId: seed.id, now: now) }
        idTokens.protectedEnvironments[seed.id] = Set(seed.protectedEnvironments ?? [])
        for pipeline in seed.pipelines ?? [] { try add(pipeline: pipeline, projectId: seed.id, now: now) }
    }

    mutating func add(pipeline seed: SimSeed.Pipeline, projectId: Int, now: Date) throws(SimError) {
        guard pipelines[seed.id] == nil else { throw .invalidSeed("duplicate pipeline \(seed.id)") }
        let creator = try userId(named: seed.user, context: "pipeline \(seed.id)")
        let creatorRecord = creator.flatMap { users[$0] }
        let title = seed.commit?.title ?? "Commit \(seed.sha.prefix(8))"
        let commit = CommitRecord(
            title: title, message: seed.commit?.message ?? title + "\n",
            authorName: seed.commit?.authorName ?? creatorRecord?.name ?? "Unknown",
            authorEmail: seed.commit?.authorEmail ?? creatorRecord?.email ?? "unknown@example.invalid",
            files: seed.commit?.files ?? [:]
        )
        let iid = seed.iid ?? (pipelines.values.filter { $0.projectId == projectId }.map(\.iid).max() ?? 0) + 1
        pipelines[seed.id] = PipelineRecord(
            id: seed.id, iid: iid, projectId: projectId, ref: seed.ref, sha: seed.sha,
            source: seed.source ?? "push", userId: creator, commit: commit, commitMissing: seed.commitMissing ?? false,
            createdAt: now
        )
        for job in seed.jobs { try add(job: job, pipeline: seed.id, defaultUser: creator, now: now) }
    }

    mutating func add(job seed: SimSeed.Job, pipeline: Int, defaultUser: Int?, now: Date) throws(SimError) {
        guard jobs[seed.id] == nil else { throw .invalidSeed("duplicate job \(seed.id)") }
        guard JobStatus.all.contains(seed.status) else { throw .invalidSeed("job \(seed.id): status \(seed.status)") }
        for key in (seed.variables ?? [:]).keys where !JobStatus.isValidVariableKey(key) {
            throw .invalidSeed("job \(seed.id): variable key \(key)")
        }
        let projectId = pipelines[pipeline]?.projectId ?? 0
        var job = JobRecord(
            id: seed.id, pipelineId: pipeline, projectId: projectId, name: seed.name, stage: seed.stage,
            status: seed.status, when: seed.when ?? "on_success", environment: seed.environment,
            script: seed.script ?? "", userId: try userId(named: seed.user, context: "job \(seed.id)") ?? defaultUser,
            allowFailure: seed.allowFailure ?? (seed.when == "manual"),
            yamlVariables: seed.variables ?? [:], jobVariables: [], workingDirectory: seed.workingDirectory,
            tagList: (seed.tagList ?? []).sorted(), createdAt: now, queuedAt: nil, startedAt: nil, finishedAt: nil,
            retried: false, retriedFromId: nil, startedManually: false, log: "", exitCode: nil, token: nil,
            failureReason: seed.status == "failed" ? "script_failure" : nil
        )
        guard ["start", "stop", "prepare", "verify", "access"].contains(seed.environmentAction ?? "start") else {
            throw .invalidSeed("job \(seed.id): environment action \(seed.environmentAction ?? "")")
        }
        job.environmentAction = seed.environmentAction
        insert(job: job)
        if seed.environment != nil { addDeployment(for: job, now: now) }
        if let specs = seed.idTokens { try idTokens.declare(specs, job: job.id) }
    }

    /// A job that starts an environment has a deployment (`deployable` = the job), created with
    /// it; jobs whose action is `stop`, `prepare`, `verify` or `access` have none.
    mutating func addDeployment(for job: JobRecord, now: Date) {
        guard let name = job.environment, (job.environmentAction ?? "start") == "start" else { return }
        let environmentId = environments.values.first { $0.projectId == job.projectId && $0.name == name }?.id
            ?? {
                let id = allocateId("environment", above: environments.keys)
                environments[id] = EnvironmentRecord(id: id, projectId: job.projectId, name: name)
                return id
            }()
        let id = allocateId("deployment", above: deployments.keys)
        let iid = (deployments.values.filter { $0.projectId == job.projectId }.map(\.iid).max() ?? 0) + 1
        deployments[id] = DeploymentRecord(
            id: id, iid: iid, projectId: job.projectId, environmentId: environmentId, jobId: job.id, createdAt: now
        )
    }

    private func userId(named username: String?, context: String) throws(SimError) -> Int? {
        guard let username else { return nil }
        guard let user = user(username: username) else { throw .invalidSeed("\(context): unknown user \(username)") }
        return user.id
    }

    private func members(_ seeds: [SimSeed.Member], now: Date) throws(SimError) -> [MemberRecord] {
        try seeds.map { (seed) throws(SimError) -> MemberRecord in
            guard users[seed.userId] != nil else { throw .invalidSeed("member: unknown user \(seed.userId)") }
            guard AccessLevel.valid.contains(seed.accessLevel) else {
                throw .invalidSeed("member \(seed.userId): access level \(seed.accessLevel)")
            }
            return MemberRecord(
                userId: seed.userId, accessLevel: seed.accessLevel, createdAt: now,
                expiresAt: seed.expiresAt.flatMap(SimClock.parse)
            )
        }
    }
}

/// Job statuses and CI variable key rules.
enum JobStatus {
    static let all: [String] = [
        "created", "waiting_for_resource", "preparing", "waiting_for_callback", "pending", "running", "success",
        "failed", "canceling", "canceled", "skipped", "manual", "scheduled",
    ]

    /// `/\A[a-zA-Z0-9_]+\z/`, at most 255 characters.
    static func isValidVariableKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 255
            && key.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
