import Foundation

/// State changes and reads shared by the Swift API (`GitLabSimulator`) and the control endpoint.
struct SimOperations: Sendable {
    let store: SimStore

    func job(id: Int) -> SimJobState? {
        store.withWorld { world in world.jobs[id].map { SimJobState($0, in: world) } }
    }

    func jobs() -> [SimJobState] {
        store.withWorld { world in world.jobs.values.sorted { $0.id < $1.id }.map { SimJobState($0, in: world) } }
    }

    /// Polls until the job has finished (success, failed, canceled, skipped).
    func waitForJob(id: Int, timeout: Duration) async throws -> SimJobState {
        let deadline = ContinuousClock.now + timeout
        while true {
            guard let state = job(id: id) else { throw SimError.notFound("job \(id)") }
            if state.isFinished { return state }
            guard ContinuousClock.now < deadline else { throw SimError.timedOut("job \(id) is still \(state.status)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func keys(ofUser username: String) throws -> [SimKeyState] {
        try store.withWorld { (world) throws(SimError) -> [SimKeyState] in
            guard let user = world.user(username: username) else { throw .notFound("user \(username)") }
            return world.keys.values.filter { $0.userId == user.id }.sorted { $0.id < $1.id }.map(SimKeyState.init)
        }
    }

    /// Sets how far the server's clock (its `Date` header) is from real time.
    func setClockOffset(seconds: Double) throws {
        guard seconds.isFinite, abs(seconds) <= 10 * 365 * 86400 else {
            throw SimError.invalidRequest("clock offset \(seconds) s is out of range")
        }
        store.withWorld { $0.clockOffset = seconds }
    }

    func faults() -> [SimFaultRule] {
        store.withWorld { world in
            world.faults.map { active in
                var rule = active.rule
                rule.count = active.remaining
                return rule
            }
        }
    }

    func addFault(_ rule: SimFaultRule) throws {
        try validate(rule)
        store.withWorld { $0.faults.append(ActiveFault(rule: rule, remaining: rule.count)) }
    }

    func clearFaults() {
        store.withWorld { $0.faults.removeAll() }
    }

    /// All or nothing: a user whose key is refused is not added either.
    func addUser(_ user: SimSeed.User) throws {
        try store.withWorld { (world) throws(SimError) in
            var changed = world
            try changed.add(user: user, now: Date())
            world = changed
        }
    }

    func setUserState(username: String, state: SimSeed.UserState) throws {
        try store.withWorld { (world) throws(SimError) in
            guard let user = world.user(username: username) else { throw .notFound("user \(username)") }
            world.users[user.id]?.state = state
        }
    }

    /// Renames a user, as a user or an administrator can on GitLab: the old name becomes free.
    func renameUser(_ username: String, to newName: String) throws {
        try store.withWorld { (world) throws(SimError) in
            guard let user = world.user(username: username) else { throw .notFound("user \(username)") }
            guard world.user(username: newName) == nil else { throw .invalidRequest("username \(newName) is taken") }
            world.users[user.id]?.username = newName
            world.userIdsByUsername[username.lowercased()] = nil
            world.userIdsByUsername[newName.lowercased()] = user.id
        }
    }

    /// Adds a key as a seed would (no creation-time checks on age or expiry); returns its id.
    func addKey(_ key: SimSeed.SSHKey, toUser username: String) throws -> Int {
        try store.withWorld { (world) throws(SimError) -> Int in
            guard let user = world.user(username: username) else { throw .notFound("user \(username)") }
            return try world.add(seededKey: key, userId: user.id, now: Date())
        }
    }

    func removeKey(id: Int) throws {
        try store.withWorld { (world) throws(SimError) in
            guard world.removeKey(id: id) != nil else { throw .notFound("key \(id)") }
        }
    }

    func addPipeline(_ pipeline: SimSeed.Pipeline, toProject projectId: Int) throws {
        try store.withWorld { (world) throws(SimError) in
            guard world.projects[projectId] != nil else { throw .notFound("project \(projectId)") }
            var changed = world
            try changed.add(pipeline: pipeline, projectId: projectId, now: Date())
            world = changed
        }
    }

    func setOverrideRole(projectId: Int, role: String) throws {
        guard ["no_one_allowed", "developer", "maintainer", "owner"].contains(role) else {
            throw SimError.invalidRequest("ci_pipeline_variables_minimum_override_role \(role)")
        }
        try store.withWorld { (world) throws(SimError) in
            guard world.projects[projectId] != nil else { throw .notFound("project \(projectId)") }
            world.projects[projectId]?.overrideRole = role
        }
    }

    func setRestrictUserDefinedVariables(projectId: Int, restrict: Bool) throws {
        try store.withWorld { (world) throws(SimError) in
            guard world.projects[projectId] != nil else { throw .notFound("project \(projectId)") }
            world.projects[projectId]?.restrictUserDefinedVariables = restrict
        }
    }

    /// Sets a direct membership; level 0 removes it.
    func setMembership(projectId: Int? = nil, groupId: Int? = nil, userId: Int, accessLevel: Int) throws {
        guard accessLevel == 0 || AccessLevel.valid.contains(accessLevel) else {
            throw SimError.invalidRequest("access level \(accessLevel)")
        }
        try store.withWorld { (world) throws(SimError) in
            guard world.users[userId] != nil else { throw .notFound("user \(userId)") }
            let member = MemberRecord(userId: userId, accessLevel: accessLevel, createdAt: Date())
            if let projectId {
                guard var project = world.projects[projectId] else { throw .notFound("project \(projectId)") }
                project.members.removeAll { $0.userId == userId }
                if accessLevel > 0 { project.members.append(member) }
                world.projects[projectId] = project
            } else if let groupId {
                guard var group = world.groups[groupId] else { throw .notFound("group \(groupId)") }
                group.members.removeAll { $0.userId == userId }
                if accessLevel > 0 { group.members.append(member) }
                world.groups[groupId] = group
            } else {
                throw .invalidRequest("membership needs a project or a group")
            }
        }
    }

    private func validate(_ rule: SimFaultRule) throws {
        let fault = rule.fault
        if let status = fault.status, !(100...599).contains(status) {
            throw SimError.invalidRequest("fault status \(status)")
        }
        if fault.kind == .status && fault.status == nil { throw SimError.invalidRequest("status fault needs a status") }
        if (fault.latencyMs ?? 0) < 0 || (fault.truncateAt ?? 0) < 0 || (rule.count ?? 0) < 0 {
            throw SimError.invalidRequest("negative fault parameter")
        }
        if let encoded = fault.bodyBase64, Data(base64Encoded: encoded) == nil {
            throw SimError.invalidRequest("body_base64 is not base64")
        }
        if fault.bodyBase64 != nil, fault.body != nil { throw SimError.invalidRequest("body and body_base64 both given") }
        guard rule.route.path.hasPrefix("/") else { throw SimError.invalidRequest("route path must start with /") }
    }
}
