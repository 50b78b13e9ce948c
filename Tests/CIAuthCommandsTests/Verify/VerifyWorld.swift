import CIAuthTestSupport
import CIAuthCore
import Foundation
import GitLab
import GitLabSim
import Testing

/// One in-process GitLab simulator shared by the verify tests, seeded with approvers whose
/// software security keys are registered on their profiles. Every test adds its own pipeline
/// (fresh ids), so tests run in parallel without sharing jobs; faults are only set on routes no
/// other test uses.
final class VerifyWorld: Sendable {
    static let projectID = 100
    static let projectPath = "acme/web"
    static let otherProjectID = 200
    static let releaseProjectID = 300
    static let releaseProjectPath = "tools/ciauth"
    /// The seeded users' GitLab ids, which statements carry as `approver-id`.
    static let userIDs = ["root": 1, "alice": 2, "bob": 3, "deploybot": 4, "mallory": 5, "dave": 6, "reader": 7]
    static let sha = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c"

    let sim: GitLabSimulator
    let alice: SoftwareAuthenticator
    let aliceEd25519: SoftwareAuthenticator
    let mallory: SoftwareAuthenticator
    let dave: SoftwareAuthenticator
    let directory: URL
    private let ids = IDCounter()

    /// The world of the running suite (set by `VerifyWorldTrait`).
    @TaskLocal static var shared: VerifyWorld?

    static var current: VerifyWorld {
        get throws { try #require(shared, "run inside VerifyEndToEndTests") }
    }

    /// Stops the simulator and removes the test files.
    func close() async throws {
        try await sim.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// - Parameter settings: instance settings, e.g. restricted Public visibility.
    static func start(settings: SimSeed.Settings = SimSeed.Settings()) async throws -> VerifyWorld {
        let keys = (SoftwareAuthenticator.p256(), SoftwareAuthenticator.ed25519(),
                    SoftwareAuthenticator.p256(), SoftwareAuthenticator.ed25519())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var seed = try seed(alice: keys.0, aliceEd25519: keys.1, mallory: keys.2, dave: keys.3)
        seed.settings = settings
        let sim = try await GitLabSimulator.start(seed: seed)
        return VerifyWorld(sim: sim, directory: directory, alice: keys.0,
                           aliceEd25519: keys.1, mallory: keys.2, dave: keys.3)
    }

    private init(
        sim: GitLabSimulator, directory: URL, alice: SoftwareAuthenticator,
        aliceEd25519: SoftwareAuthenticator, mallory: SoftwareAuthenticator, dave: SoftwareAuthenticator
    ) {
        self.sim = sim
        self.directory = directory
        self.alice = alice
        self.aliceEd25519 = aliceEd25519
        self.mallory = mallory
        self.dave = dave
    }

    private static func seed(
        alice: SoftwareAuthenticator, aliceEd25519: SoftwareAuthenticator,
        mallory: SoftwareAuthenticator, dave: SoftwareAuthenticator
    ) throws -> SimSeed {
        let old = "2025-01-01T08:00:00Z"
        let users: [SimSeed.User] = [
            .init(id: 1, username: "root", name: "Administrator", admin: true, tokens: [.init("root-token")]),
            .init(id: 2, username: "alice", name: "Alice Example", tokens: [.init("alice-token")], keys: [
                .init(id: 71, title: "alice-p256", key: try alice.publicKeyLine, usageType: "signing", createdAt: old),
                .init(id: 72, title: "alice-ed25519", key: try aliceEd25519.publicKeyLine, usageType: "auth_and_signing", createdAt: old),
            ]),
            .init(id: 3, username: "bob", name: "Bob Builder", tokens: [.init("bob-token")]),
            .init(id: 4, username: "deploybot", name: "Deploy Bot", tokens: [.init("bot-token")]),
            .init(id: 5, username: "mallory", name: "Mallory", tokens: [.init("mallory-token")], keys: [
                .init(id: 75, title: "mallory", key: try mallory.publicKeyLine, usageType: "signing", createdAt: old),
            ]),
            .init(id: 6, username: "dave", name: "Dave", tokens: [.init("dave-token")], keys: [
                .init(id: 76, title: "dave", key: try dave.publicKeyLine, usageType: "signing", createdAt: old),
            ]),
            .init(id: 7, username: "reader", name: "Reader", tokens: [.init("reader-token", scopes: ["read_api"])]),
            // Signed in, but a member of nothing: reads users and keys, not the project's pipelines.
            .init(id: 8, username: "outsider", name: "Outsider", tokens: [.init("outsider-token", scopes: ["read_api"])]),
        ]
        let developers = [3, 4, 5, 6].map { SimSeed.Member(userId: $0, accessLevel: 30) }
        let groups: [SimSeed.Group] = [
            // reader's read_api token reads pipelines (Reporter) and the members of release.
            .init(id: 10, path: "acme", members: [.init(userId: 2, accessLevel: 40), .init(userId: 7, accessLevel: 20)] + developers),
            .init(id: 12, path: "release", members: [.init(userId: 2, accessLevel: 40), .init(userId: 7, accessLevel: 10)]),
            // Hosts the CI/CD component and publishes ciauth releases (ComponentEndToEndTests); alice,
            // who plays the jobs, reads its packages.
            .init(id: 13, path: "tools", members: [.init(userId: 2, accessLevel: 20)]),
        ]
        let projects: [SimSeed.Project] = [
            .init(id: projectID, pathWithNamespace: projectPath, ciPipelineVariablesMinimumOverrideRole: "developer"),
            .init(id: otherProjectID, pathWithNamespace: "acme/other", ciPipelineVariablesMinimumOverrideRole: "developer"),
            // acme/web's job tokens may read its packages (the job token allowlist).
            .init(id: releaseProjectID, pathWithNamespace: releaseProjectPath, ciJobTokenAllowlist: [projectID]),
        ]
        return SimSeed(
            users: users, groups: groups, projects: projects,
            runner: SimSeed.Runner(pathPrepend: [BuiltBinary.productsDirectory.path], timeoutSeconds: 60))
    }

    // MARK: - Pipelines

    struct Pipeline: Sendable {
        let id: Int
        let projectID: Int
        let jobs: [ApprovalStatement.Job]
        let sha: String
        var job: ApprovalStatement.Job { jobs[0] }
    }

    /// A new pipeline of manual jobs, created by `creator`, whose script runs the built `ciauth verify`
    /// pinned to this simulator, the project and the job name, plus `flags`.
    func pipeline(
        jobs names: [String] = ["deploy"], flags: [String] = [], environment: String? = "production",
        sha: String = VerifyWorld.sha, projectID: Int = VerifyWorld.projectID, workingDirectory: String? = nil,
        pinJobName: Bool = true, pinProject: Bool = true, declareNoCheckout: Bool = true, creator: String = "bob",
        scriptWrapper: ((String) -> String)? = nil
    ) async throws -> Pipeline {
        let pipelineID = await ids.next()
        var jobs: [ApprovalStatement.Job] = []
        for name in names { jobs.append(ApprovalStatement.Job(id: await ids.next(), name: name)) }
        let projectPath = projectID == Self.projectID ? Self.projectPath : "acme/other"
        let simJobs = jobs.map { job in
            var arguments = ["verify", "--server", sim.baseURL]
            if pinProject { arguments += ["--project", projectPath] }
            if pinJobName { arguments += ["--job-name", job.name] }
            if let environment { arguments += ["--environment", environment] }
            // Jobs without a repository checkout run in a scratch directory: the definition says so.
            if workingDirectory == nil, declareNoCheckout { arguments.append("--no-checkout") }
            arguments += ["--audit-file", auditFile(job: job.id).path] + flags
            let command = ([BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path] + arguments)
                .map(Self.shellQuoted).joined(separator: " ")
            return SimSeed.Job(
                id: job.id, name: job.name, environment: environment, script: scriptWrapper?(command) ?? command,
                workingDirectory: workingDirectory)
        }
        try sim.addPipeline(
            SimSeed.Pipeline(id: pipelineID, ref: "main", sha: sha, source: "push", user: creator, jobs: simJobs),
            toProject: projectID)
        return Pipeline(id: pipelineID, projectID: projectID, jobs: jobs, sha: sha)
    }

    /// An id no other test uses (pipelines, jobs, users, keys).
    func freshID() async -> Int { await ids.next() }

    func auditFile(job: Int) -> URL { directory.appendingPathComponent("audit-\(job).json") }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    // MARK: - Approvals

    /// The statement ciauth approve would make for `pipeline`, changed by `edit`.
    func statement(
        for pipeline: Pipeline, jobs: [ApprovalStatement.Job]? = nil, approver: String = "alice",
        environment: ApprovalStatement.Environment = .named("production"), issuedAt: Date = Date(),
        validity: Int64 = 3600, edit: (inout StatementFields) -> Void = { _ in }
    ) throws -> ApprovalStatement {
        var fields = StatementFields(
            server: sim.baseURL, projectID: pipeline.projectID,
            projectPath: pipeline.projectID == Self.projectID ? Self.projectPath : "acme/other",
            pipelineID: pipeline.id, jobs: jobs ?? pipeline.jobs, ref: "main", commitSHA: pipeline.sha,
            environment: environment, approver: approver, approverID: nil)
        edit(&fields)
        return try ApprovalStatement.issue(
            server: fields.server, projectID: fields.projectID, projectPath: fields.projectPath, pipelineID: fields.pipelineID,
            jobs: fields.jobs.map { $0.with(fields.environment) }, ref: fields.ref, commitSHA: fields.commitSHA,
            approver: fields.approver, approverID: fields.approverID ?? Self.userIDs[fields.approver] ?? 999,
            now: issuedAt, validitySeconds: validity)
    }

    struct StatementFields {
        var server: String
        var projectID: Int
        var projectPath: String
        var pipelineID: Int
        var jobs: [ApprovalStatement.Job]
        var ref: String
        var commitSHA: String
        var environment: ApprovalStatement.Environment
        var approver: String
        /// nil: the seeded id of `approver`.
        var approverID: Int?
    }

    // MARK: - Playing

    /// Plays the job through the simulator's REST API as the token's user and waits for it to finish.
    func play(
        _ jobID: Int, projectID: Int = VerifyWorld.projectID, token: String = "alice-token", approval: String?,
        variables: [String: String] = [:]
    ) async throws -> SimJobState {
        var all = variables
        if let approval { all["CIAUTH_APPROVAL"] = approval }
        let client = try GitLabClient(server: GitLabServer(sim.baseURL), credentials: .accessToken(token))
        do {
            _ = try await client.play(
                job: jobID, in: .id(projectID), variables: all.sorted { $0.key < $1.key }.map { PlayVariable(key: $0.key, value: $0.value) })
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        return try await sim.waitForJob(id: jobID, timeout: .seconds(60))
    }

    /// Adds a key to a profile at run time (seed format: may be expired or auth-only).
    func register(_ key: SoftwareAuthenticator, to user: String, usage: String = "signing",
                  createdAt: String = "2025-01-01T08:00:00Z", expiresAt: String? = nil) throws -> Int {
        try sim.addKey(
            SimSeed.SSHKey(title: "key-\(UUID().uuidString.prefix(8))", key: try key.publicKeyLine, usageType: usage,
                           createdAt: createdAt, expiresAt: expiresAt),
            toUser: user)
    }
}

/// Ids 100 apart: the simulator gives a retried job the highest job id + 1, which must never be
/// an id a later test takes for its own pipeline or job.
private actor IDCounter {
    private var value = 5000
    func next() -> Int {
        value += 100
        return value
    }
}

/// Starts one world for the whole `VerifyEndToEndTests` suite and tears it down afterwards:
/// the simulator stops (job scripts killed, scratch directories removed) and the test files go.
struct VerifyWorldTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let world = try await VerifyWorld.start()
        do {
            try await VerifyWorld.$shared.withValue(world) { try await function() }
        } catch {
            try? await world.close()
            throw error
        }
        try await world.close()
    }
}

/// The parent of the end-to-end verify suites; they share one simulator.
@Suite("ciauth verify end to end", VerifyWorldTrait())
struct VerifyEndToEndTests {}
