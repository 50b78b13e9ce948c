import Foundation

/// Everything the simulated instance knows. Guarded by `SimStore`'s lock; plain value type.
struct SimWorld: Sendable {
    var baseURL: String
    var users: [Int: UserRecord] = [:]
    /// Lowercased username → user id, and token → user id (seeds can hold many users).
    var userIdsByUsername: [String: Int] = [:]
    var userIdsByToken: [String: Int] = [:]
    /// Changed only through `insert(key:)` and `removeKey(id:)`, which keep the index in step.
    private(set) var keys: [Int: KeyRecord] = [:]
    /// SHA256 fingerprint → key id: GitLab's instance-wide uniqueness rule without a scan.
    private var keyIdsByFingerprint: [String: Int] = [:]
    var groups: [Int: GroupRecord] = [:]
    var projects: [Int: ProjectRecord] = [:]
    var pipelines: [Int: PipelineRecord] = [:]
    /// New jobs come in through `insert(job:)`, which keeps `jobIdsByPipeline` in step; a job
    /// never moves to another pipeline, so updates in place need nothing more.
    var jobs: [Int: JobRecord] = [:]
    /// Pipeline id → ids of its jobs: a pipeline's status without a scan of every job (a page of
    /// 100 deployments of a 50,000-deployment project scanned all 50,000 jobs twice per row).
    private(set) var jobIdsByPipeline: [Int: [Int]] = [:]
    var environments: [Int: EnvironmentRecord] = [:]
    var deployments: [Int: DeploymentRecord] = [:]
    /// Generic package files in upload order (Model/PackageFileRecord.swift).
    var packageFiles: [PackageFileRecord] = []
    var faults: [ActiveFault] = []
    var runner: SimSeed.Runner = SimSeed.Runner()
    var settings: SimSeed.Settings = SimSeed.Settings()
    var nextIds: [String: Int] = [:]
    /// Seconds the simulated server's clock is ahead of the real one (negative: behind); see `SimClock`.
    var clockOffset: TimeInterval = 0
    /// ID-token signing keys and the jobs' `id_tokens:` (IDTokens/IDTokenState.swift).
    var idTokens = IDTokenState()

    init(baseURL: String) {
        self.baseURL = baseURL
    }

    /// Adds a new job (or replaces one of the same id and pipeline).
    mutating func insert(job: JobRecord) {
        if jobs.updateValue(job, forKey: job.id) == nil { jobIdsByPipeline[job.pipelineId, default: []].append(job.id) }
    }

    /// The pipeline's jobs, retried ones included, in the order they were added.
    func jobs(ofPipeline id: Int) -> [JobRecord] {
        (jobIdsByPipeline[id] ?? []).compactMap { jobs[$0] }
    }

    /// Allocates the next id of a kind, above every id seeded so far.
    mutating func allocateId(_ kind: String, above existing: some Collection<Int>) -> Int {
        let next = max(nextIds[kind] ?? 1, (existing.max() ?? 0) + 1)
        nextIds[kind] = next + 1
        return next
    }

    /// The host part of the base URL, used in `publishable_key` comments.
    var host: String {
        URLComponents(string: baseURL)?.host ?? "localhost"
    }

    // MARK: Keys

    /// The key with this SHA256 fingerprint, whoever owns it.
    func key(fingerprint: String) -> KeyRecord? {
        keyIdsByFingerprint[fingerprint].flatMap { keys[$0] }
    }

    /// Adds (or replaces) a key; the caller has checked its fingerprint is free.
    mutating func insert(key: KeyRecord) {
        if let old = keys[key.id] { keyIdsByFingerprint[old.parsed.fingerprintSHA256] = nil }
        keys[key.id] = key
        keyIdsByFingerprint[key.parsed.fingerprintSHA256] = key.id
        // Ids are never reused, so new ones start above every key ever added.
        nextIds["key"] = max(nextIds["key"] ?? 1, key.id + 1)
    }

    @discardableResult
    mutating func removeKey(id: Int) -> KeyRecord? {
        guard let key = keys.removeValue(forKey: id) else { return nil }
        keyIdsByFingerprint[key.parsed.fingerprintSHA256] = nil
        return key
    }

    /// A fresh key id (`insert(key:)` keeps the counter above every key id).
    mutating func allocateKeyId() -> Int {
        allocateId("key", above: EmptyCollection<Int>())
    }

    // MARK: Lookups

    func user(username: String) -> UserRecord? {
        userIdsByUsername[username.lowercased()].flatMap { users[$0] }
    }

    func user(token: String) -> (UserRecord, SimSeed.Token)? {
        guard let user = userIdsByToken[token].flatMap({ users[$0] }),
              let match = user.tokens.first(where: { $0.value == token })
        else { return nil }
        return (user, match)
    }

    func user(idOrUsername: String) -> UserRecord? {
        if let id = Int(idOrUsername) { return users[id] }
        return user(username: idOrUsername)
    }

    func project(idOrPath: String) -> ProjectRecord? {
        if let id = Int(idOrPath) { return projects[id] }
        return projects.values.first { $0.pathWithNamespace.lowercased() == idOrPath.lowercased() }
    }

    func group(idOrPath: String) -> GroupRecord? {
        if let id = Int(idOrPath) { return groups[id] }
        return groups.values.first { fullPath(of: $0).lowercased() == idOrPath.lowercased() }
    }

    func fullPath(of group: GroupRecord) -> String {
        var parts = [group.path]
        var parent = group.parentId
        var guardCount = 0
        while let id = parent, let next = groups[id], guardCount < 64 {
            parts.insert(next.path, at: 0)
            parent = next.parentId
            guardCount += 1
        }
        return parts.joined(separator: "/")
    }

    /// The group and its ancestors, nearest first.
    func groupChain(from id: Int?) -> [GroupRecord] {
        var chain: [GroupRecord] = []
        var current = id
        while let id = current, let group = groups[id], chain.count < 64 {
            chain.append(group)
            current = group.parentId
        }
        return chain
    }

    func activeJobToken(_ token: String) -> JobRecord? {
        jobs.values.first { $0.token == token && $0.status == "running" }
    }
}
