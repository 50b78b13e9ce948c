import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// `ciauth keys revoke` when every answer to the DELETEs is an error that may follow the deletion
/// (a gateway answering 502 for a GitLab that did the work): the key is read back, so the outcome
/// is what GitLab holds — revoked, failed (still there) or unknown (exit 19) — never a guess.
@Suite struct KeysRevokeLostAnswerTests {
    static let ownDelete = SimRoute(method: "DELETE", path: "/api/v4/user/keys/*")

    static func revoke(_ simulation: KeysSimulation, _ keyID: Int) async throws -> (BuiltBinary.Result, KeysRevocationResult) {
        let result = try await simulation.ciauth(["keys", "revoke", "--yes", String(keyID), "--json"], token: "u007-token")
        let outcome = try #require(try keysDecode([KeysRevocationResult].self, result.stdout, member: "results").first)
        return (result, outcome)
    }

    @Test func deletedBehindEveryErrorIsRevoked() async throws {
        let simulation = try await KeysSimulation.start(try KeysGroupSeed(memberCount: 8).seed)
        defer { Task { await simulation.stop() } }
        let key = try #require(try simulation.sim.keys(ofUser: "u007").first)
        try simulation.sim.setFault(route: Self.ownDelete, fault: .statusAfterEffect(502))
        let (result, outcome) = try await Self.revoke(simulation, key.id)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(outcome.outcome == .revoked && outcome.attempts == 4, "\(outcome)")
        #expect(try simulation.sim.keys(ofUser: "u007").isEmpty)
        #expect(simulation.sim.requests.contains { $0.method == "GET" && $0.path == "/api/v4/user/keys/\(key.id)" && $0.status == 404 })
    }

    @Test func stillThereIsFailed() async throws {
        let simulation = try await KeysSimulation.start(try KeysGroupSeed(memberCount: 8).seed)
        defer { Task { await simulation.stop() } }
        let key = try #require(try simulation.sim.keys(ofUser: "u007").first)
        try simulation.sim.setFault(route: Self.ownDelete, fault: .status(503))
        let (result, outcome) = try await Self.revoke(simulation, key.id)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(outcome.outcome == .failed && outcome.error?.contains("still on the profile") == true, "\(outcome)")
        #expect(try simulation.sim.keys(ofUser: "u007").count == 1)
    }

    @Test func unreadableAfterwardsIsUnknownWithItsOwnStatus() async throws {
        let simulation = try await KeysSimulation.start(try KeysGroupSeed(memberCount: 8).seed)
        defer { Task { await simulation.stop() } }
        let key = try #require(try simulation.sim.keys(ofUser: "u007").first)
        try simulation.sim.setFault(route: Self.ownDelete, fault: .statusAfterEffect(502))
        try simulation.sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/user/keys/*"), fault: .status(502))
        let (result, outcome) = try await Self.revoke(simulation, key.id)
        #expect(result.status == 19, "\(result.stderr)")
        #expect(outcome.outcome == .unknown, "\(outcome)")
        #expect(outcome.error?.contains("is unknown") == true && outcome.error?.contains(key.fingerprintSha256) == true)
        #expect(!result.stdout.contains("u007-token") && !result.stderr.contains("u007-token"))
    }
}
