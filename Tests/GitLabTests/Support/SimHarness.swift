import Foundation
import GitLab
import GitLabSim
import Logging
import Testing

/// Test data for the simulator. Public keys only (generated with `ssh-keygen -t ed25519`; the
/// `sk-` forms wrap the same points with application `ssh:`).
enum TestKeys {
    static let sk1 = "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIGHAh/08YFBwXUARwytqstF0UWy/4Kc3VRy0mRTN4qwOAAAABHNzaDo= alice@laptop"
    static let sk2 = "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIBPmsdOpc6h9AdvFzm5lX0WFhYhr1beTMiRzYAw1LlF2AAAABHNzaDo= new"
    static let plain3 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDOA4wqO2SxxUw8SRDVtUatIpAdGyTTZpDLFQv+Gc0aM bob@host"
}

enum Seeds {
    static let sha = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c"

    /// alice: Maintainer of group acme (id 10); bob: Developer of project 100; carol: Developer
    /// of project 101 whose pipeline-variables setting is `no_one_allowed`; root: admin.
    static func standard(extraGroupMembers: Int = 0, jobScript: String = "echo deployed") -> String {
        var users = [
            #"{"id": 1, "username": "root", "name": "Administrator", "admin": true, "tokens": ["root-token"]}"#,
            #"{"id": 2, "username": "alice", "name": "Alice Example", "tokens": ["alice-token", {"value": "alice-read", "scopes": ["read_api"]}], "keys": [{"id": 71, "title": "yubikey", "key": "\#(TestKeys.sk1)", "usage_type": "signing", "created_at": "2025-02-01T08:00:00Z", "expires_at": "2030-02-01"}]}"#,
            #"{"id": 3, "username": "bob", "name": "Bob Builder", "tokens": ["bob-token"], "keys": [{"id": 72, "title": "laptop", "key": "\#(TestKeys.plain3)", "usage_type": "auth"}]}"#,
            #"{"id": 4, "username": "carol", "name": "Carol", "tokens": ["carol-token"]}"#,
        ]
        var members = [#"{"user_id": 2, "access_level": 40}"#]
        for index in 0..<extraGroupMembers {
            let id = 1000 + index
            users.append(#"{"id": \#(id), "username": "user\#(id)", "name": "User \#(id)"}"#)
            members.append(#"{"user_id": \#(id), "access_level": \#([10, 20, 30][index % 3])}"#)
        }
        return #"""
            {"users": [\#(users.joined(separator: ","))],
             "groups": [{"id": 10, "path": "acme", "members": [\#(members.joined(separator: ","))]}],
             "projects": [
               {"id": 100, "path_with_namespace": "acme/deployer", "default_branch": "main",
                "ci_pipeline_variables_minimum_override_role": "developer",
                "members": [{"user_id": 3, "access_level": 30}],
                "pipelines": [{"id": 500, "iid": 1, "ref": "main", "sha": "\#(sha)", "source": "push", "user": "alice",
                  "commit": {"title": "Release 1.2", "message": "Release 1.2\n", "author_name": "Alice", "author_email": "a@example.org"},
                  "jobs": [
                    {"id": 9001, "name": "deploy:prod", "stage": "deploy", "status": "manual", "when": "manual",
                     "environment": "production", "script": "\#(jobScript)"},
                    {"id": 9002, "name": "deploy:staging", "stage": "deploy", "status": "manual", "when": "manual", "script": "true"},
                    {"id": 9003, "name": "build", "stage": "build", "status": "success", "script": "true"}
                  ]}]},
               {"id": 101, "path_with_namespace": "acme/locked", "default_branch": "main",
                "ci_pipeline_variables_minimum_override_role": "no_one_allowed",
                "members": [{"user_id": 4, "access_level": 30}],
                "pipelines": [{"id": 600, "iid": 1, "ref": "main", "sha": "\#(sha)", "source": "push", "user": "carol",
                  "jobs": [{"id": 9101, "name": "deploy", "stage": "deploy", "status": "manual", "when": "manual", "script": "true"}]}]}
             ]}
            """#
    }
}

/// Collects log lines in memory so tests can look for secrets in them.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    var lines: [String] { lock.withLock { storage } }

    func append(_ line: String) { lock.withLock { storage.append(line) } }

    func logger() -> Logger {
        var logger = Logger(label: "test") { _ in CapturingHandler(capture: self) }
        logger.logLevel = .debug
        return logger
    }

    private struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            capture.append("\(event.level) \(event.message) \(fields.joined(separator: " "))")
        }
    }
}

/// Starts a simulator, runs `body` with a client for `credentials`, and shuts both down.
func withSimulator<T>(
    seed: String = Seeds.standard(),
    credentials: GitLabCredentials = .accessToken("alice-token"),
    options: GitLabClientOptions = .fastTest,
    logger: Logger? = nil,
    _ body: (GitLabSimulator, GitLabClient) async throws -> T
) async throws -> T {
    let sim = try await GitLabSimulator.start(seed: try SimSeed.decode(json: Data(seed.utf8)))
    let client: GitLabClient
    do {
        client = try GitLabClient(
            server: try GitLabServer(sim.baseURL), credentials: credentials, options: options,
            logger: logger ?? Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    } catch {
        try await sim.shutdown()
        throw error
    }
    do {
        let result = try await body(sim, client)
        try await client.shutdown()
        try await sim.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        try? await sim.shutdown()
        throw error
    }
}

/// Another client on the same simulator (other user or options).
func withClient<T>(
    _ sim: GitLabSimulator, credentials: GitLabCredentials, options: GitLabClientOptions = .fastTest,
    _ body: (GitLabClient) async throws -> T
) async throws -> T {
    let client = try GitLabClient(server: try GitLabServer(sim.baseURL), credentials: credentials, options: options)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

extension GitLabClientOptions {
    /// Short waits so retry tests stay fast.
    static var fastTest: GitLabClientOptions {
        GitLabClientOptions(
            // Generous limits: a loaded CI machine must not turn a slow answer into a timeout.
            connectTimeout: .seconds(10), requestTimeout: .seconds(30),
            retry: RetryPolicy(
                maxRetries: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxRetryAfter: .seconds(2)))
    }
}

/// Runs `body` expecting a `GitLabError` and returns it.
func expectGitLabError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> GitLabError? {
    do {
        try await body()
        Issue.record("expected a GitLabError", sourceLocation: sourceLocation)
        return nil
    } catch let error as GitLabError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension GitLabSimulator {
    /// How many requests matching method and path suffix the simulator received.
    func count(_ method: String, _ pathSuffix: String) -> Int {
        requests.filter { $0.method == method && $0.path.hasSuffix(pathSuffix) }.count
    }
}
