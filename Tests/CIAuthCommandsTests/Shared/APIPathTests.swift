import Foundation
import Testing

/// A pasted `CI_API_V4_URL` (`…/api/v4`) names the same server wherever a server URL is taken:
/// `--server`, `CIAUTH_SERVER`, `GITLAB_HOST`, ciauth's config.toml, and verify's pin.
@Suite struct APIPathTests {
    static var seed: [String: Any] {
        [
            "users": [["id": 2, "username": "alice", "name": "Alice", "tokens": [["value": "alice-token", "scopes": ["api"]]]]]
        ]
    }

    enum Source: String, CaseIterable, Sendable {
        case flag, ciauthVariable, glabVariable, configFile
    }

    @Test(arguments: Source.allCases)
    func apiURLNamesTheServer(source: Source) async throws {
        let simulation = try await KeysSimulation.start(Self.seed)
        defer { Task { await simulation.stop() } }
        let pasted = simulation.sim.baseURL + "/api/v4/"
        var environment = [
            "HOME": simulation.home.path, "XDG_CONFIG_HOME": simulation.home.path, "GITLAB_TOKEN": "", "GITLAB_HOST": "",
            "CI_JOB_TOKEN": "", "CI_SERVER_URL": "", "NO_COLOR": "1", "CIAUTH_TOKEN": "alice-token", "CIAUTH_SERVER": "",
        ]
        var arguments = ["auth", "status", "--json"]
        switch source {
        case .flag: arguments += ["--server", pasted]
        case .ciauthVariable: environment["CIAUTH_SERVER"] = pasted
        case .glabVariable: environment["GITLAB_HOST"] = pasted
        case .configFile:
            let directory = simulation.home.appendingPathComponent("ciauth")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("server = '\(pasted)'\n".utf8).write(to: directory.appendingPathComponent("config.toml"))
        }
        let result = try await BuiltBinary(name: "ciauth").run(arguments, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONShape.check(result.stdout, .authStatus)
        #expect(object["server"] as? String == simulation.sim.baseURL)
        #expect((object["account"] as? [String: Any])?["username"] as? String == "alice")
        #expect(simulation.sim.requests.allSatisfy { !$0.path.contains("/api/v4/api/v4") })
    }

    @Test("verify's --server pin pasted from CI_API_V4_URL agrees with CI_SERVER_URL")
    func verifyPin() async throws {
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("verify-audit-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: audit) }
        let result = try await BuiltBinary(name: "ciauth").run(
            ["verify", "--server", "https://gitlab.example.com/api/v4", "--project", "acme/web", "--job-name", "deploy", "--json",
             "--audit-file", audit.path],
            environment: ["CI_PROJECT_DIR": "", "CI_SERVER_URL": "https://gitlab.example.com", "CI_JOB_TOKEN": "", "CI_JOB_ID": "7"])
        let object = try JSONShape.check(result.stdout, .verify)
        #expect(object["reason"] as? String == "job-token-missing", "\(result.stdout)")
        #expect((object["checks"] as? [String])?.first == "server: https://gitlab.example.com (pinned; CI_SERVER_URL agrees)")
    }
}
