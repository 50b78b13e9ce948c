import CIAuthCore
import CIAuthTestSupport
import ChildProcess
import Foundation
import GitLab
import GitLabSim
import Testing

/// One simulator for the gate suites, signing ID tokens with an RSA key made by the independent
/// minter (`Fixtures/gate-mint.py`, PyJWT), so both sign with one key. Each test adds its own
/// pipeline and uses its own pass store and key cache, so tests run in parallel.
final class GateWorld: Sendable {
    static let projectID = 100
    static let projectPath = "acme/web"
    static let audience = "deploy.example"
    static let sha = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c"
    static let userIDs = ["alice": 2, "bob": 3, "mallory": 5]

    let sim: GitLabSimulator
    let alice: SoftwareAuthenticator
    let mallory: SoftwareAuthenticator
    let directory: URL
    let keyPath: String
    private let ids = GateIDCounter()

    @TaskLocal static var shared: GateWorld?

    static var current: GateWorld {
        get throws { try #require(shared, "run inside GateTests") }
    }

    static func start() async throws -> GateWorld {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pem = try await python(["keygen"])
        let keyPath = directory.appendingPathComponent("signing.pem").path
        try pem.write(toFile: keyPath, atomically: true, encoding: .utf8)
        let alice = SoftwareAuthenticator.p256()
        let mallory = SoftwareAuthenticator.ed25519()
        let old = "2025-01-01T08:00:00Z"
        let users: [SimSeed.User] = [
            .init(id: 2, username: "alice", name: "Alice", tokens: ["alice-token"], keys: [
                .init(id: 71, title: "alice", key: try alice.publicKeyLine, usageType: "signing", createdAt: old),
            ]),
            .init(id: 3, username: "bob", name: "Bob", tokens: ["bob-token"]),
            .init(id: 5, username: "mallory", name: "Mallory", tokens: ["mallory-token"], keys: [
                .init(id: 75, title: "mallory", key: try mallory.publicKeyLine, usageType: "signing", createdAt: old),
            ]),
        ]
        let groups: [SimSeed.Group] = [
            .init(id: 10, path: "acme", members: [2, 3, 5].map { SimSeed.Member(userId: $0, accessLevel: 40) }),
        ]
        let projects: [SimSeed.Project] = [
            .init(
                id: projectID, pathWithNamespace: projectPath, ciPipelineVariablesMinimumOverrideRole: "developer",
                protectedRefs: ["main"], protectedEnvironments: ["production"]),
            .init(id: 200, pathWithNamespace: "acme/other", ciPipelineVariablesMinimumOverrideRole: "developer", protectedRefs: ["main"]),
        ]
        let sim = try await GitLabSimulator.start(seed: SimSeed(
            users: users, groups: groups, projects: projects,
            runner: SimSeed.Runner(pathPrepend: [BuiltBinary.productsDirectory.path], timeoutSeconds: 60),
            idTokens: SimSeed.IDTokens(signingKeyPem: pem)))
        return GateWorld(sim: sim, alice: alice, mallory: mallory, directory: directory, keyPath: keyPath)
    }

    private init(sim: GitLabSimulator, alice: SoftwareAuthenticator, mallory: SoftwareAuthenticator, directory: URL, keyPath: String) {
        self.sim = sim
        self.alice = alice
        self.mallory = mallory
        self.directory = directory
        self.keyPath = keyPath
    }

    func close() async throws {
        try await sim.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Jobs

    struct Job: Sendable {
        let id: Int
        let name: String
        let pipelineID: Int
        let projectID: Int
        let ref: String
        let environment: String?
    }

    /// A new pipeline with one manual deploy job declaring `CIAUTH_ID_TOKEN`, played by `user`.
    func job(
        name: String = "deploy", ref: String = "main", environment: String? = "production", audience: String = GateWorld.audience,
        projectID: Int = GateWorld.projectID, user: String = "alice", creator: String = "bob", source: String = "push",
        script: String? = nil
    ) async throws -> Job {
        let pipelineID = await ids.next()
        let jobID = await ids.next()
        try sim.addPipeline(
            SimSeed.Pipeline(id: pipelineID, ref: ref, sha: Self.sha, source: source, user: creator, jobs: [
                SimSeed.Job(
                    id: jobID, name: name, environment: environment, script: script ?? "true", user: user,
                    idTokens: ["CIAUTH_ID_TOKEN": SimSeed.IDTokenSpec(aud: audience)]),
            ]),
            toProject: projectID)
        return Job(id: jobID, name: name, pipelineID: pipelineID, projectID: projectID, ref: ref, environment: environment)
    }

    /// The token gitlab-sim gives the job's script.
    func simToken(_ job: Job) throws -> String {
        try #require(sim.idToken(job: job.id, variable: "CIAUTH_ID_TOKEN"))
    }

    /// The claims of a token, read by the independent minter.
    func claims(of token: String) async throws -> [String: Any] {
        let text = try await Self.python(["claims", token])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The key id in a token's header.
    static func keyID(of token: String) throws -> String {
        var part = String(token.split(separator: ".")[0]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while part.count % 4 != 0 { part += "=" }
        let data = try #require(Data(base64Encoded: part))
        let header = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(header["kid"] as? String)
    }

    /// A token minted by PyJWT (or by hand for the attacks PyJWT refuses) with the suite's key.
    func mint(
        claims: [String: Any], kid: String?, mode: String = "rs256", header: [String: Any] = [:], rawPayload: String? = nil,
        rawHeader: String? = nil
    ) async throws -> String {
        var spec: [String: Any] = ["claims": claims, "mode": mode, "header": header]
        if let kid { spec["kid"] = kid }
        if let rawPayload { spec["raw_payload"] = rawPayload }
        if let rawHeader { spec["raw_header"] = rawHeader }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        return try await Self.python(["sign", keyPath], stdin: input)
    }

    static func python(_ arguments: [String], stdin: String = "") async throws -> String {
        let run = try await BuiltBinary(executable: URL(fileURLWithPath: "/usr/bin/python3"))
            .run([ApproveFixtures.path("gate-mint.py")] + arguments, stdin: stdin)
        guard run.status == 0 else { throw GateWorldError(message: "gate-mint.py \(arguments.first ?? ""): \(run.stderr)") }
        return run.stdout
    }

    // MARK: - Approvals

    /// alice's approval of `job` (statement as ciauth approve makes it), changed by `edit`.
    func approval(
        for job: Job, signer: SoftwareAuthenticator? = nil, approver: String = "alice", issuedAt: Date = Date(),
        edit: (inout Fields) -> Void = { _ in }
    ) async throws -> String {
        var fields = Fields(
            server: sim.baseURL, projectID: job.projectID, projectPath: job.projectID == Self.projectID ? Self.projectPath : "acme/other",
            pipelineID: job.pipelineID, jobs: [ApprovalStatement.Job(id: job.id, name: job.name)], ref: job.ref, commitSHA: Self.sha,
            environment: job.environment.map { .named($0) } ?? ApprovalStatement.Environment.none, approver: approver,
            approverID: Self.userIDs[approver] ?? 999)
        edit(&fields)
        let statement = try ApprovalStatement.issue(
            server: fields.server, projectID: fields.projectID, projectPath: fields.projectPath, pipelineID: fields.pipelineID,
            jobs: fields.jobs.map { $0.with(fields.environment) }, ref: fields.ref, commitSHA: fields.commitSHA,
            approver: fields.approver, approverID: fields.approverID, now: issuedAt, validitySeconds: 3600)
        return try await (signer ?? alice).approve(statement)
    }

    struct Fields {
        var server: String
        var projectID: Int
        var projectPath: String
        var pipelineID: Int
        var jobs: [ApprovalStatement.Job]
        var ref: String
        var commitSHA: String
        var environment: ApprovalStatement.Environment
        var approver: String
        var approverID: Int
    }

    // MARK: - Policy

    /// A policy file for this simulator with its own pass store and key cache.
    func policy(extra: String = "", name: String = UUID().uuidString) throws -> (path: String, directory: URL) {
        let directory = self.directory.appendingPathComponent("gate-\(name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = """
            server: \(sim.baseURL)
            audience: \(Self.audience)
            project: \(Self.projectPath)
            project_id: \(Self.projectID)
            environments: [production]
            keys_cache: \(directory.path)/keys.json
            pass_store: \(directory.path)/passes.sqlite
            audit_log: \(directory.path)/audit.jsonl

            """ + extra
        let path = directory.appendingPathComponent("gate.yml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, directory)
    }

    /// A file holding `token` with `mode`, for `read_token_file`.
    func readTokenFile(_ token: String, mode: Int = 0o600) throws -> String {
        let path = directory.appendingPathComponent("read-token-\(UUID().uuidString)").path
        try (token + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// The gate's decision in-process.
    func decide(token: String, approval: String, policyPath: String, at: Date = Date()) async throws -> GateReport {
        let policy = try GatePolicy.load(path: policyPath)
        let options = GitLabClientOptions(connectTimeout: .seconds(10), requestTimeout: .seconds(30), retry: .none)
        return await GateWorkflow.run(GateRequest(policy: policy, idToken: token, approval: approval, now: at, clientOptions: options))
    }
}

struct GateWorldError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

private actor GateIDCounter {
    private var value = 70_000
    func next() -> Int {
        value += 100
        return value
    }
}

struct GateWorldTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let world = try await GateWorld.start()
        do {
            try await GateWorld.$shared.withValue(world) { try await function() }
        } catch {
            try? await world.close()
            throw error
        }
        try await world.close()
    }
}

/// The parent of the gate suites; they share one simulator. Serialized: the independent minter
/// runs as a child process waited for synchronously, which must not starve the HTTP clients.
@Suite("ciauth gate", .serialized, GateWorldTrait())
struct GateTests {}
