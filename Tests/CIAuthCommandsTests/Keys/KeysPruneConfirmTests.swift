import Foundation
import Testing

/// `keys prune` asks before revoking, as `keys revoke` does: on a terminal, or `--yes`.
@Suite struct KeysPruneConfirmTests {
    static let rules = ["keys", "prune", "--group", "acme", "--expired"]

    func onTerminal(_ simulation: KeysSimulation, answer: String) async throws -> ApproveProcessResult {
        let ciauth = BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path
        let environment = [
            "CIAUTH_SERVER": simulation.sim.baseURL, "CIAUTH_TOKEN": "root-token", "HOME": simulation.home.path,
            "XDG_CONFIG_HOME": simulation.home.path, "NO_COLOR": "1", "GITLAB_TOKEN": "", "GITLAB_HOST": "",
        ]
        return try await ApproveProcess.run(
            "/usr/bin/python3", [ApproveFixtures.path("pty-answer.py"), "[y/N]", ciauth] + Self.rules,
            environment: environment, stdin: answer + "\n", timeout: .seconds(90))
    }

    @Test func withoutATerminalYesIsNeeded() async throws {
        let simulation = try await KeysSimulation.start(try KeysGroupSeed(memberCount: 16).seed)
        defer { Task { await simulation.stop() } }
        let result = try await simulation.ciauth(Self.rules)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("pass --yes"), "\(result.stderr)")
        #expect(!simulation.sim.requests.contains { $0.method == "DELETE" })
    }

    @Test func answeringNoRevokesNothingAndIsNotAnError() async throws {
        let simulation = try await KeysSimulation.start(try KeysGroupSeed(memberCount: 16).seed)
        defer { Task { await simulation.stop() } }
        let result = try await onTerminal(simulation, answer: "n")
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("? Approvals signed with them will no longer verify. [y/N]"), "\(result.stdout)")
        #expect(result.stdout.contains("Nothing was revoked."), "\(result.stdout)")
        #expect(!result.stdout.contains("error:"), "\(result.stdout)")
        #expect(!simulation.sim.requests.contains { $0.method == "DELETE" })
    }

    @Test func answeringYesRevokes() async throws {
        let simulation = try await KeysSimulation.start(try KeysGroupSeed(memberCount: 16).seed)
        defer { Task { await simulation.stop() } }
        let result = try await onTerminal(simulation, answer: "y")
        #expect(result.status == 0, "\(result.stdout)")
        #expect(simulation.sim.requests.contains { $0.method == "DELETE" })
    }
}
