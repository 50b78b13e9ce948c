import Foundation

/// GitLab access levels and the permission rules the simulator applies.
enum AccessLevel {
    static let guest = 10
    static let reporter = 20
    static let developer = 30
    static let maintainer = 40
    static let owner = 50
    static let admin = 60

    static let valid: Set<Int> = [5, 10, 15, 20, 30, 40, 50]
}

extension SimWorld {
    /// Effective memberships of a project: direct, then inherited from its groups; the highest
    /// level wins. Expired memberships do not count.
    func effectiveMembers(ofProject project: ProjectRecord, now: Date = Date()) -> [Int: MemberRecord] {
        var result: [Int: MemberRecord] = [:]
        var sources = [project.members]
        sources += groupChain(from: project.groupId).map(\.members)
        if let owner = project.ownerUserId {
            sources.append([MemberRecord(userId: owner, accessLevel: AccessLevel.owner, createdAt: project.createdAt)])
        }
        for members in sources { merge(members, into: &result, now: now) }
        return result
    }

    func effectiveMembers(ofGroup group: GroupRecord, now: Date = Date()) -> [Int: MemberRecord] {
        var result: [Int: MemberRecord] = [:]
        for ancestor in groupChain(from: group.id) { merge(ancestor.members, into: &result, now: now) }
        return result
    }

    private func merge(_ members: [MemberRecord], into result: inout [Int: MemberRecord], now: Date) {
        for member in members where member.expiresAt.map({ $0 > now }) ?? true {
            if let existing = result[member.userId], existing.accessLevel >= member.accessLevel { continue }
            result[member.userId] = member
        }
    }

    /// The level used for permission checks: admins count as level 60 everywhere.
    func accessLevel(of user: UserRecord?, in project: ProjectRecord) -> Int {
        guard let user else { return 0 }
        if user.admin { return AccessLevel.admin }
        return effectiveMembers(ofProject: project)[user.id]?.accessLevel ?? 0
    }

    func accessLevel(of user: UserRecord?, in group: GroupRecord) -> Int {
        guard let user else { return 0 }
        if user.admin { return AccessLevel.admin }
        return effectiveMembers(ofGroup: group)[user.id]?.accessLevel ?? 0
    }

    func canRead(project: ProjectRecord, as user: UserRecord?) -> Bool {
        switch project.visibility {
        case "public": true
        case "internal": user != nil
        default: accessLevel(of: user, in: project) >= AccessLevel.guest
        }
    }

    func canRead(group: GroupRecord, as user: UserRecord?) -> Bool {
        switch group.visibility {
        case "public": true
        case "internal": user != nil
        default: accessLevel(of: user, in: group) >= AccessLevel.guest
        }
    }

    /// `read_build`: Reporter on private projects; anyone who can see a public or internal one.
    func canReadBuilds(project: ProjectRecord, as user: UserRecord?) -> Bool {
        if project.visibility == "private" { return accessLevel(of: user, in: project) >= AccessLevel.reporter }
        return canRead(project: project, as: user)
    }

    /// `read_build` for any caller: a job token reads its own project's builds and those of
    /// projects that allowlist its project; elsewhere it is refused like an anonymous caller.
    func canReadBuilds(project: ProjectRecord, as caller: Caller) -> Bool {
        if case .job(let job) = caller { return jobToken(of: job, reaches: project) }
        return canReadBuilds(project: project, as: caller.user)
    }

    /// Whether a job's token may be used on `project` at all: its own project, or one whose
    /// inbound allowlist names the job's project (GitLab's CI/CD job token scope).
    func jobToken(of job: JobRecord, reaches project: ProjectRecord) -> Bool {
        job.projectId == project.id || project.jobTokenAllowlist.contains(job.projectId)
    }

    /// `read_user` on another user's profile: anonymous visitors lose it when the instance
    /// restricts the Public visibility level (app/policies/user_policy.rb).
    func canReadUsers(as user: UserRecord?) -> Bool {
        user != nil || !settings.restrictsPublic
    }

    /// `play_job`: Developer, or Maintainer when the job's ref is protected.
    func canPlay(job: JobRecord, in project: ProjectRecord, as user: UserRecord) -> Bool {
        let needed = project.protectedRefs.contains(job.ref(in: self)) ? AccessLevel.maintainer : AccessLevel.developer
        return accessLevel(of: user, in: project) >= needed
    }

    /// `set_pipeline_variables`: anyone who may play while `restrict_user_defined_variables` is
    /// false, else per `ci_pipeline_variables_minimum_override_role` (app/policies/project_policy.rb).
    /// `no_one_allowed` applies to administrators too (strict reading).
    func canSetPipelineVariables(in project: ProjectRecord, as user: UserRecord) -> Bool {
        guard project.restrictUserDefinedVariables else { return true }
        let level = accessLevel(of: user, in: project)
        switch project.overrideRole {
        case "developer": return level >= AccessLevel.developer
        case "maintainer": return level >= AccessLevel.maintainer
        case "owner": return level >= AccessLevel.owner
        default: return false
        }
    }
}

extension JobRecord {
    func ref(in world: SimWorld) -> String { world.pipelines[pipelineId]?.ref ?? "" }
}
