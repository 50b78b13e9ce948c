import ChildProcess
import CIAuthCore
import Foundation
import GitLabSim
import SSHSig
import Testing
import VirtualKey

/// One end-to-end world for enroll/approve tests: a virtual key and a GitLab simulator running in
/// the test process, a private config directory, and the real `ciauth` binary run against them.
final class ApproveWorld: @unchecked Sendable {
    static let token = "alice-token"
    static let sha = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c"

    let directory: URL
    let key: VirtualKeyServer
    let sim: GitLabSimulator

    var socket: String { key.socketPath }
    var configHome: URL { directory.appendingPathComponent("config") }
    var keysDirectory: URL { configHome.appendingPathComponent("ciauth/keys") }

    private init(directory: URL, key: VirtualKeyServer, sim: GitLabSimulator) {
        self.directory = directory
        self.key = key
        self.sim = sim
    }

    /// Socket paths must stay short (sockaddr_un), hence a fresh directory directly under /tmp.
    static func start(
        touch: TouchMode = .after(.milliseconds(200)), manualJobs: Int = 20, variablesRole: String = "developer",
        pin: String? = nil, staleDeployments: Int = 0, protectedRefs: [String] = [], policy: String? = nil,
        attestation: AttestationMode = .packed
    ) async throws -> ApproveWorld {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("ca-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = VirtualAuthenticatorConfiguration()
        configuration.touch = touch
        configuration.initialPIN = pin
        configuration.attestation = attestation
        let key = try VirtualKeyServer.start(socketPath: directory.path + "/key.sock", config: configuration)
        var seed = try SimSeed.decode(json: Data(seedJSON(directory: directory, manualJobs: manualJobs, variablesRole: variablesRole, policy: policy).utf8))
        if staleDeployments > 0 { seed.projects[0].staleDeployments = SimSeed.StaleDeployments(count: staleDeployments) }
        seed.projects[0].protectedRefs = protectedRefs
        let sim = try await GitLabSimulator.start(seed: seed)
        return ApproveWorld(directory: directory, key: key, sim: sim)
    }

    /// Runs `body` in a fresh world and always tears it down.
    static func with<T>(
        touch: TouchMode = .after(.milliseconds(200)), manualJobs: Int = 20, variablesRole: String = "developer",
        pin: String? = nil, staleDeployments: Int = 0, protectedRefs: [String] = [], policy: String? = nil,
        attestation: AttestationMode = .packed,
        _ body: (ApproveWorld) async throws -> T
    ) async throws -> T {
        let world = try await start(
            touch: touch, manualJobs: manualJobs, variablesRole: variablesRole, pin: pin, staleDeployments: staleDeployments,
            protectedRefs: protectedRefs, policy: policy, attestation: attestation)
        do {
            let result = try await body(world)
            await world.stop()
            return result
        } catch {
            await world.stop()
            throw error
        }
    }

    func stop() async {
        try? await sim.shutdown()
        key.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs the built `ciauth` with the token in its environment (never on the command line).
    func ciauth(
        _ arguments: [String], timeout: Duration = .seconds(60), in workingDirectory: URL? = nil, token: String = ApproveWorld.token
    ) async throws -> ApproveProcessResult {
        let environment = [
            "CIAUTH_TOKEN": token, "XDG_CONFIG_HOME": configHome.path, "HOME": directory.path,
            "NO_COLOR": "1",
        ]
        return try await ApproveProcess.run(
            BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path, arguments, environment: environment,
            timeout: timeout, currentDirectory: workingDirectory)
    }

    /// Runs `ciauth` on a pseudo-terminal: `answer` to the confirmation, `pin` to PIN prompts.
    func ciauthOnTerminal(_ arguments: [String], answer: String, pin: String) async throws -> ApproveProcessResult {
        let environment = [
            "CIAUTH_TOKEN": Self.token, "XDG_CONFIG_HOME": configHome.path, "HOME": directory.path, "NO_COLOR": "1",
        ]
        let ciauth = BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path
        return try await ApproveProcess.run(
            "/usr/bin/python3", [ApproveFixtures.path("approve-pty-driver.py"), answer, ciauth] + arguments,
            environment: environment, stdin: pin + "\n", timeout: .seconds(90))
    }

    var serverArguments: [String] { ["--server", sim.baseURL, "--device", "unix:" + socket] }

    func enroll(_ extra: [String] = []) async throws -> ApproveProcessResult {
        try await ciauth(["enroll"] + serverArguments + extra)
    }

    /// The public key of the only enrolled credential.
    func enrolledKeys() throws -> [SKPublicKey] {
        try CredentialStore(directory: keysDirectory).list().map(\.publicKey)
    }

    /// What the job script recorded: the approval variable the job ran with.
    func recordedApproval(job: Int) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("approval-\(job)"), encoding: .utf8)
    }

    /// Verifies an approval the way a job would, against the key registered for alice.
    func verify(_ transport: String, job: Int, name: String, pipeline: Int, environment: JobFacts.Environment) throws -> ApprovalVerdict {
        let registry = KeyRegistry(entries: try enrolledKeys().map { KeyRegistry.Entry(principal: "alice", publicKey: $0) })
        let facts = JobFacts(
            server: try ApprovalStatement.canonicalServerURL(sim.baseURL), projectID: 100, projectPath: "acme/web",
            pipelineID: pipeline, jobID: job, jobName: name, ref: "main", commitSHA: Self.sha, environment: environment)
        return ApprovalVerifier(registry: registry).verify(transport: transport, facts: facts, now: Date())
    }

    /// The GitLab API requests the simulator received, as `METHOD /path` (query left out).
    var apiRequests: [String] {
        sim.requests.filter { $0.path.hasPrefix("/api/v4/") }.map { "\($0.method) \($0.path)" }
    }

    /// Users alice (maintainer, enrolls; also a read_api token `alice-read`) and bob (developer,
    /// token `bob-token`) in group acme.
    /// Project 100 `acme/web`: pipeline 500 (manual deploy job 9001 in `production`, a finished
    /// build 9002, a running job 9003), and pipeline 600 with `manualJobs` manual jobs 7001…;
    /// their commit holds `policy` as `.ciauth.yml` (none when nil).
    /// Each job's script records the approval variable it received.
    static func seedJSON(directory: URL, manualJobs: Int, variablesRole: String, policy: String? = nil) -> String {
        let files = policy.map { text -> String in
            let quoted = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return ", \"files\": {\".ciauth.yml\": \"\(quoted)\"}"
        } ?? ""
        let record = "printf '%s' \\\"$CIAUTH_APPROVAL\\\" > \(directory.path)/approval-$CI_JOB_ID"
        func job(_ id: Int, _ name: String, status: String, when: String, environment: String? = nil) -> String {
            let env = environment.map { ", \"environment\": \"\($0)\"" } ?? ""
            return "{\"id\": \(id), \"name\": \"\(name)\", \"stage\": \"deploy\", \"status\": \"\(status)\", \"when\": \"\(when)\", \"script\": \"\(record)\"\(env)}"
        }
        let many = (0..<manualJobs).map { job(7001 + $0, "deploy-\($0 + 1)", status: "manual", when: "manual") }
        return """
            {
              "users": [{"id": 2, "username": "alice", "name": "Alice Example",
                         "tokens": ["\(token)", {"value": "alice-read", "scopes": ["read_api"]}]},
                        {"id": 3, "username": "bob", "name": "Bob Example", "tokens": ["bob-token"]}],
              "groups": [{"id": 10, "path": "acme", "members": [{"user_id": 2, "access_level": 40}, {"user_id": 3, "access_level": 30}]}],
              "projects": [{"id": 100, "path_with_namespace": "acme/web",
                "ci_pipeline_variables_minimum_override_role": "\(variablesRole)",
                "pipelines": [
                  {"id": 500, "iid": 1, "ref": "main", "sha": "\(sha)", "user": "alice",
                   "commit": {"title": "Release 1.2", "message": "Release 1.2\\n"\(files)},
                   "jobs": [\(job(9001, "deploy:prod", status: "manual", when: "manual", environment: "production")),
                            \(job(9002, "build", status: "success", when: "on_success")),
                            \(job(9003, "test", status: "running", when: "on_success"))]},
                  {"id": 600, "iid": 2, "ref": "main", "sha": "\(sha)", "user": "alice",
                   "commit": {"title": "Release 1.2", "message": "Release 1.2\\n"\(files)},
                   "jobs": [\(many.joined(separator: ",\n"))]}
                ]}],
              "runner": {"timeout_seconds": 30}
            }
            """
    }
}

struct ApproveProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a child process without blocking the test's thread: output to files, exit awaited
/// on a thread of its own, killed after `timeout`.
enum ApproveProcess {
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String = "",
        timeout: Duration = .seconds(60), currentDirectory: URL? = nil
    ) async throws -> ApproveProcessResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ca-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = ["in", "out", "err"].map { directory.appendingPathComponent($0) }
        try Data(stdin.utf8).write(to: paths[0])
        for path in paths.dropFirst() { try Data().write(to: path) }
        let child = try ChildProcess.spawn(
            executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
            directory: currentDirectory?.path, stdin: .file(paths[0].path), stdout: .file(paths[1].path), stderr: .file(paths[2].path))
        let exit = await child.exit(timeout: timeout)
        return ApproveProcessResult(
            status: exit.status, stdout: try String(contentsOf: paths[1], encoding: .utf8),
            stderr: try String(contentsOf: paths[2], encoding: .utf8))
    }
}

/// Files under Tests/CIAuthCommandsTests/Fixtures, next to the running test binary.
enum ApproveFixtures {
    static func path(_ name: String) -> String {
        let binaryDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            binaryDirectory.appendingPathComponent("ciauth_CIAuthCommandsTests.resources/Fixtures/\(name)"),
            BuiltBinary.productsDirectory.appendingPathComponent("ciauth_CIAuthCommandsTests.resources/Fixtures/\(name)"),
        ]
        return (candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[1]).path
    }
}

enum ApproveTools {
    static let sshKeygen = ["/usr/bin/ssh-keygen", "/bin/ssh-keygen"].first { FileManager.default.isExecutableFile(atPath: $0) }
}
