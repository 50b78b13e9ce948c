import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// The key set's cache, refresh, rotation and outages. Each test starts its own simulator:
/// rotating keys or failing the key endpoint must not disturb the other gate tests.
@Suite("ciauth gate: key set cache, rotation, outage", .serialized)
struct GateKeySetTests {
    private func reason(_ report: GateReport) -> String { report.failure?.reason ?? "accepted" }

    private func withWorld(_ body: (GateWorld) async throws -> Void) async throws {
        let world = try await GateWorld.start()
        do {
            try await body(world)
        } catch {
            try? await world.close()
            throw error
        }
        try await world.close()
    }

    private func decideNewJob(_ world: GateWorld, policy: String) async throws -> GateReport {
        let job = try await world.job()
        return try await world.decide(token: try world.simToken(job), approval: try await world.approval(for: job), policyPath: policy)
    }

    private func keyRequests(_ world: GateWorld) -> Int {
        world.sim.requests.filter { $0.path == "/oauth/discovery/keys" }.count
    }

    @Test("a rotated key is fetched on its unknown kid, at most once per refresh interval; the previous key still verifies")
    func rotation() async throws {
        try await withWorld { world in
            let policy = try world.policy().path
            let before = try await world.job()
            let oldToken = try world.simToken(before)
            #expect(reason(try await decideNewJob(world, policy: policy)) == "accepted")
            #expect(reason(try await decideNewJob(world, policy: policy)) == "accepted")
            #expect(keyRequests(world) == 1, "the second decision used the cached key set")
            try world.sim.rotateIDTokenKey()
            // The cache was fetched moments ago: the new kid waits for the refresh interval.
            #expect(reason(try await decideNewJob(world, policy: policy)) == "token-key-unknown")
            #expect(keyRequests(world) == 1)
            let eager = try world.policy(extra: "keys_refresh_interval: 1s\n").path
            #expect(reason(try await decideNewJob(world, policy: eager)) == "accepted")
            #expect(reason(try await decideNewJob(world, policy: eager)) == "accepted")
            #expect(keyRequests(world) == 2)
            try await Task.sleep(for: .milliseconds(1100))
            let approval = try await world.approval(for: before)
            #expect(reason(try await world.decide(token: oldToken, approval: approval, policyPath: eager)) == "accepted")
            // A kid of the set that did not sign the token: signed with the previous key, naming the new one.
            let after = try await world.job()
            let newKid = try GateWorld.keyID(of: try world.simToken(after))
            #expect(newKid != (try GateWorld.keyID(of: oldToken)))
            let mismatched = try await world.mint(claims: try world.claims(of: try world.simToken(after)), kid: newKid)
            let report = try await world.decide(token: mismatched, approval: try await world.approval(for: after), policyPath: eager)
            #expect(reason(report) == "token-signature-invalid")
        }
    }

    @Test("a key cache another account could have written (group- or world-writable, a symbolic link, owned by another user) is not used")
    func untrustedCacheIsIgnored() async throws {
        try await withWorld { world in
            let (policy, directory) = try world.policy()
            #expect(reason(try await decideNewJob(world, policy: policy)) == "accepted")
            let cache = directory.appendingPathComponent("keys.json")
            let original = try Data(contentsOf: cache)
            try world.sim.setFault(route: SimRoute(method: "GET", path: "/oauth/discovery/keys"), fault: .status(503))
            #expect(reason(try await decideNewJob(world, policy: policy)) == "accepted", "the gate's own cache is used")

            let attempts: [(String, () throws -> Bool)] = [
                ("group-writable", { try FileManager.default.setAttributes([.posixPermissions: 0o664], ofItemAtPath: cache.path); return true }),
                ("a symbolic link", {
                    let elsewhere = directory.appendingPathComponent("elsewhere.json")
                    try original.write(to: elsewhere)
                    try FileManager.default.removeItem(at: cache)
                    try FileManager.default.createSymbolicLink(at: cache, withDestinationURL: elsewhere)
                    return true
                }),
                ("owned by another user", { chown(cache.path, 65534, 65534) == 0 }),
            ]
            for (name, spoil) in attempts {
                try? FileManager.default.removeItem(at: cache)
                try original.write(to: cache)
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cache.path)
                guard try spoil() else { continue }  // chown needs root
                #expect(reason(try await decideNewJob(world, policy: policy)) == "keys-unreachable", "a cache \(name) was trusted")
            }
        }
    }

    @Test("with the key endpoint down, a fresh cache is used, a stale or missing one fails closed")
    func outage() async throws {
        try await withWorld { world in
            let cached = try world.policy().path
            let short = try world.policy(extra: "keys_max_age: 1s\n").path
            #expect(reason(try await decideNewJob(world, policy: cached)) == "accepted")
            #expect(reason(try await decideNewJob(world, policy: short)) == "accepted")
            try world.sim.setFault(route: SimRoute(method: "GET", path: "/oauth/discovery/keys"), fault: .status(503))
            try await Task.sleep(for: .milliseconds(2100))
            #expect(reason(try await decideNewJob(world, policy: cached)) == "accepted", "within its maximum age the cache is used")
            let stale = try await decideNewJob(world, policy: short)
            #expect(reason(stale) == "keys-unreachable")
            #expect(stale.failure?.failureClass == .gitlabUnreachable)
            #expect(reason(try await decideNewJob(world, policy: try world.policy().path)) == "keys-unreachable")
            world.sim.clearFaults()
            #expect(reason(try await decideNewJob(world, policy: short)) == "accepted")
        }
    }
}
