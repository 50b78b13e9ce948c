import Foundation
import Testing

/// glab's and ciauth's configuration files as a new user has them, through the real binary.
@Suite struct ConfigFilesTests {
    static var seed: [String: Any] {
        ["users": [["id": 2, "username": "alice", "name": "Alice", "tokens": ["glpat-alice-token"]]]]
    }

    /// What `glab auth login` writes: a tagged token, quoted booleans, comments and sections
    /// ciauth does not use.
    static func glabConfig(host: String) -> String {
        """
        # What protocol to use when performing Git operations. Supported values: ssh, https.
        git_protocol: ssh
        editor:
        check_update: false
        host: \(host)
        hosts:
          \(host):
            # What protocol to use to access the API endpoint. Supported values: http, https.
            api_protocol: http
            api_host: \(host)
            token: !!null glpat-alice-token
            is_oauth2: "false"
            container_registry_domains:
              - registry.example.com
            user: alice
        aliases:
          ci: pipeline ci

        """
    }

    /// The simulation's home with only the given files in it, and no token or server in the environment.
    func run(
        _ simulation: KeysSimulation, _ arguments: [String], server: Bool = false, token: String? = nil
    ) async throws -> BuiltBinary.Result {
        var environment = [
            "HOME": simulation.home.path, "XDG_CONFIG_HOME": simulation.home.path, "GITLAB_TOKEN": "", "GITLAB_HOST": "",
            "CI_JOB_TOKEN": "", "CI_SERVER_URL": "", "NO_COLOR": "1", "CIAUTH_TOKEN": token ?? "",
            "CIAUTH_SERVER": server ? simulation.sim.baseURL : "",
        ]
        environment["GLAB_CONFIG_DIR"] = nil
        return try await BuiltBinary(name: "ciauth").run(arguments, environment: environment)
    }

    func write(_ simulation: KeysSimulation, _ relativePath: String, _ text: String, mode: Int = 0o600) throws -> String {
        let url = simulation.home.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        return url.path
    }

    @Test func glabsOwnConfigIsUsed() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        let host = String(simulation.sim.baseURL.dropFirst("http://".count))
        _ = try write(simulation, "glab-cli/config.yml", Self.glabConfig(host: host))

        let result = try await run(simulation, ["keys", "list", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        try JSONShape.check(result.stdout, .keysList)
    }

    @Test func aBrokenFileNotNeededIsNotRead() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        let glab = try write(simulation, "glab-cli/config.yml", "hosts: [unclosed\n")
        _ = try write(simulation, "ciauth/config.toml", "server = \n")

        let given = try await run(simulation, ["keys", "list", "--json"], server: true, token: "glpat-alice-token")
        #expect(given.status == 0, "\(given.stderr)")

        // Without a token from the environment the glab file is needed: it is named, and the
        // exit status is the configuration one, not "GitLab unreachable".
        let needed = try await run(simulation, ["keys", "list", "--json"], server: true)
        #expect(needed.status == 78, "\(needed.stderr)")
        #expect(needed.stderr.contains(glab))
        #expect(!needed.stderr.contains("invalidConfigFile"))
    }

    @Test func ciauthConfigIsTOMLAndPrivate() async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        let text = "# ciauth\nserver = '\(simulation.sim.baseURL)'\ntoken = 'glpat-alice-token'\n"
        let path = try write(simulation, "ciauth/config.toml", text, mode: 0o644)

        let shared = try await run(simulation, ["keys", "list", "--json"])
        #expect(shared.status == 78, "\(shared.stderr)")
        #expect(shared.stderr.contains("chmod 600 \(path)"))
        #expect(!shared.stderr.contains("glpat-alice-token"))

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let ok = try await run(simulation, ["keys", "list", "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
