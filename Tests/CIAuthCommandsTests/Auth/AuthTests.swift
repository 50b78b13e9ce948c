import Foundation
import Testing

/// `ciauth auth login` and `auth status`, and commands without a token, through the real binary.
@Suite struct AuthTests {
    static let token = "glpat-alice-login-token"

    static var seed: [String: Any] {
        [
            "users": [
                [
                    "id": 2, "username": "alice", "name": "Alice Example",
                    "tokens": [["value": token, "scopes": ["api", "read_api"], "name": "laptop", "expires_at": "2030-01-31"]],
                ],
                ["id": 3, "username": "bob", "name": "Bob", "tokens": [["value": "glpat-bob-read", "scopes": ["read_api"]]]],
            ]
        ]
    }

    /// No server or token from the environment: only what login saves.
    static func environment(_ simulation: KeysSimulation) -> [String: String] {
        [
            "HOME": simulation.home.path, "XDG_CONFIG_HOME": simulation.home.path, "GITLAB_TOKEN": "", "GITLAB_HOST": "",
            "CI_JOB_TOKEN": "", "CI_SERVER_URL": "", "NO_COLOR": "1", "CIAUTH_TOKEN": "", "CIAUTH_SERVER": "",
        ]
    }

    func run(_ simulation: KeysSimulation, _ arguments: [String], stdin: String? = nil) async throws -> BuiltBinary.Result {
        try await BuiltBinary(name: "ciauth").run(arguments, environment: Self.environment(simulation), stdin: stdin)
    }

    var configFile: (KeysSimulation) -> String { { $0.home.appendingPathComponent("ciauth/config.toml").path } }

    @Test func loginFromStdinThenStatusThenUse() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }

        let login = try await run(simulation, ["auth", "login", "--server", simulation.sim.baseURL], stdin: Self.token + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stderr.contains("as @alice (Alice Example)"), "\(login.stderr)")
        #expect(login.stderr.contains("scopes api, read_api; expires 2030-01-31"), "\(login.stderr)")
        #expect(!(login.stdout + login.stderr).contains(Self.token))
        let attributes = try FileManager.default.attributesOfItem(atPath: configFile(simulation))
        #expect(attributes[.posixPermissions] as? Int == 0o600)

        let status = try await run(simulation, ["auth", "status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("server: \(simulation.sim.baseURL) (from ciauth's configuration \(configFile(simulation)))"), "\(status.stdout)")
        #expect(status.stdout.contains("(from ciauth's configuration \(configFile(simulation)))"))
        #expect(status.stdout.contains("user:   @alice (Alice Example)"))
        #expect(status.stdout.contains("expires 2030-01-31"))
        #expect(status.stdout.contains("scopes: api, read_api; expires 2030-01-31 (token \"laptop\")"), "\(status.stdout)")
        #expect(!(status.stdout + status.stderr).contains(Self.token))

        let json = try await run(simulation, ["auth", "status", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONShape.check(json.stdout, .authStatus)
        #expect(object["token"] as? String == "access-token" && object["token_source"] as? String != nil)
        #expect((object["account"] as? [String: Any])?["username"] as? String == "alice")
        #expect((object["account"] as? [String: Any])?["expires_at"] as? String == "2030-01-31T00:00:00Z")
        #expect(!json.stdout.contains(Self.token))

        let list = try await run(simulation, ["keys", "list", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
    }

    @Test func aRefusedTokenIsNotSaved() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        let login = try await run(simulation, ["auth", "login", "--server", simulation.sim.baseURL, "--token-file", "-"], stdin: "glpat-wrong\n")
        #expect(login.status == 16, "\(login.stderr)")
        #expect(login.stderr.contains("→ 401"), "\(login.stderr)")
        #expect(!FileManager.default.fileExists(atPath: configFile(simulation)))
    }

    @Test func aReadOnlyTokenIsSavedWithAWarning() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        let login = try await run(simulation, ["auth", "login", "--server", simulation.sim.baseURL + "/api/v4"], stdin: "glpat-bob-read")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stderr.contains("using \(simulation.sim.baseURL) as the GitLab server"), "\(login.stderr)")
        #expect(login.stderr.contains("need a token with scope api"), "\(login.stderr)")
        #expect(login.stderr.contains("never expires"), "\(login.stderr)")
    }

    /// `ciauth auth login` on a pseudo-terminal, `answer` typed at the token prompt.
    func loginOnTerminal(_ simulation: KeysSimulation, typing answer: String) async throws -> ApproveProcessResult {
        let ciauth = BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path
        return try await ApproveProcess.run(
            "/usr/bin/python3",
            [ApproveFixtures.path("pty-answer.py"), "GitLab token for", ciauth, "auth", "login", "--server", simulation.sim.baseURL],
            environment: Self.environment(simulation), stdin: answer + "\n", timeout: .seconds(90))
    }

    @Test func loginOnATerminalDoesNotEchoTheToken() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        let result = try await loginOnTerminal(simulation, typing: Self.token)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("Logged in to \(simulation.sim.baseURL) as @alice"), "\(result.stdout)")
        #expect(!result.stdout.contains(Self.token), "the token was echoed: \(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: configFile(simulation)))
    }

    @Test("Enter without a token at the prompt: said plainly (78), nothing saved, not 'CancellationError()'")
    func anEmptyAnswerAtThePrompt() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        let result = try await loginOnTerminal(simulation, typing: "")
        #expect(result.status == 78, "\(result.stdout)")
        #expect(result.stdout.contains("no token was entered, so nothing was saved"), "\(result.stdout)")
        #expect(!result.stdout.contains("CancellationError"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: configFile(simulation)))
    }

    @Test func withoutATokenNothingIsSent() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        simulation.sim.clearRequests()
        let list = try await run(simulation, ["keys", "list", "--server", simulation.sim.baseURL])
        #expect(list.status == 78, "\(list.stderr)")
        #expect(list.stderr.contains("no GitLab token for \(simulation.sim.baseURL)"), "\(list.stderr)")
        #expect(list.stderr.contains("ciauth auth login"))
        #expect(simulation.sim.requests.isEmpty)

        let status = try await run(simulation, ["auth", "status", "--server", simulation.sim.baseURL])
        #expect(status.status == 78, "\(status.stderr)")
        #expect(status.stdout.contains("token:  none"))
        #expect(status.stderr.contains("not logged in"))
    }
}
