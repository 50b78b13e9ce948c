import CIAuthCore
import CIAuthTestSupport
import Foundation
import GitLabSim
import SSHSig
import Testing

/// `ciauth doctor`'s clock, token-scope and credential checks, each state through the real
/// binary against the simulator (real HTTP). Local device checks are pointed at nothing.
@Suite struct DoctorGitLabStateTests {
    /// alice has three sk keys on her profile: `signing` for the matched credential, one expired,
    /// one auth-only; `elsewhere` is registered with no local credential. Tokens: api,
    /// read_api, read_user, and an api token expiring in 3 days.
    struct World {
        let simulation: KeysSimulation
        let matched: SoftwareAuthenticator, expired: SoftwareAuthenticator, authOnly: SoftwareAuthenticator
        let unregistered: SoftwareAuthenticator, elsewhere: SoftwareAuthenticator

        static func start() async throws -> World {
            let keys = (0..<5).map { _ in SoftwareAuthenticator.p256() }
            func key(_ id: Int, _ authenticator: SoftwareAuthenticator, usage: String, expires: String? = nil) throws -> [String: Any] {
                var key: [String: Any] = ["id": id, "title": "key \(id)", "key": try authenticator.publicKeyLine, "usage_type": usage]
                if let expires { key["expires_at"] = expires }
                return key
            }
            let seed: [String: Any] = [
                "users": [
                    [
                        "id": 2, "username": "alice", "name": "Alice",
                        "tokens": [
                            "alice-token", ["value": "alice-read", "scopes": ["read_api"]], ["value": "alice-user", "scopes": ["read_user"]],
                            ["value": "alice-soon", "scopes": ["api"], "name": "laptop", "expires_at": KeysDates.day(3)],
                        ],
                        "keys": [
                            try key(71, keys[0], usage: "signing"), try key(72, keys[1], usage: "signing", expires: KeysDates.instant(-2)),
                            try key(73, keys[2], usage: "auth"), try key(74, keys[4], usage: "auth_and_signing"),
                        ],
                    ] as [String: Any]
                ]
            ]
            return World(
                simulation: try await KeysSimulation.start(seed), matched: keys[0], expired: keys[1], authOnly: keys[2],
                unregistered: keys[3], elsewhere: keys[4])
        }

        func stop() async { await simulation.stop() }

        /// Saves local credentials as enroll would (key handles are placeholders: nothing signs here).
        func enrollLocally(_ authenticators: [SoftwareAuthenticator]) throws {
            let store = CredentialStore(directory: simulation.home.appendingPathComponent("ciauth/keys"))
            for authenticator in authenticators {
                try store.save(try SKPrivateKeyFile(publicKey: try authenticator.publicKey, keyHandle: [1, 2, 3], comment: "test"))
            }
        }

        /// Runs doctor; returns its checks and the names of those that failed. `security-key`
        /// always fails here (no key is plugged in), so the exit status is always 1.
        func doctor(token: String = "alice-token") async throws -> (failed: [String], checks: [String: DoctorCheck]) {
            let result = try await simulation.ciauth(["doctor", "--json", "--device", "unix:/nonexistent/k.sock"], token: token)
            let checks = try keysDecode([DoctorCheck].self, result.stdout, member: "checks")
            #expect(result.status == 1)
            return (checks.filter { $0.status == .fail }.map(\.name), Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) }))
        }
    }

    @Test func clockSkewAgainstTheServersDateHeader() async throws {
        let world = try await World.start()
        defer { Task { await world.stop() } }
        let inSync = try await world.doctor().checks["clock"]
        #expect(inSync?.status == .ok, "\(String(describing: inSync))")

        try world.simulation.sim.setClockOffset(seconds: -60)  // GitLab behind: this machine is 60 s ahead
        let ahead = try #require(try await world.doctor().checks["clock"])
        #expect(ahead.status == .warn)
        #expect(ahead.message.contains("ahead of GitLab's") && ahead.message.contains("in the future") && ahead.message.contains("120 s"))
        #expect(ahead.fix?.contains("set-ntp") == true)

        try world.simulation.sim.setClockOffset(seconds: 300)  // GitLab ahead: this machine is 5 minutes behind
        let (failed, checks) = try await world.doctor()
        let behind = try #require(checks["clock"])
        #expect(behind.status == .fail && failed == ["security-key", "clock"])
        #expect(behind.message.contains("behind GitLab's") && behind.message.contains("expire"))
        #expect(checks["gitlab"]?.status == .ok)
    }

    @Test func tokenScopesFullReadOnlyExpiringAndUnreadable() async throws {
        let world = try await World.start()
        defer { Task { await world.stop() } }
        let full = try #require(try await world.doctor().checks["token-scopes"])
        #expect(full.status == .ok && full.message.contains("scopes api"))

        let reader = try #require(try await world.doctor(token: "alice-read").checks["token-scopes"])
        #expect(reader.status == .warn && reader.message.contains("read_api") && reader.message.contains("approve"))
        #expect(reader.fix?.contains("scope api") == true)

        let usersOnly = try #require(try await world.doctor(token: "alice-user").checks["token-scopes"])
        #expect(usersOnly.status == .warn && usersOnly.message.contains("only the Users API"))

        let soon = try #require(try await world.doctor(token: "alice-soon").checks["token-scopes"])
        #expect(soon.status == .warn && soon.message.contains("\"laptop\"") && soon.message.contains("expires in 3 day(s)"))
        #expect(soon.fix?.contains("new token") == true)

        // OAuth and job tokens get 401/404 from this endpoint: a warning, not a failure.
        try world.simulation.sim.setFault(
            route: SimRoute(method: "GET", path: "/api/v4/personal_access_tokens/self"), fault: SimFault(kind: .status, status: 404))
        let (failed, checks) = try await world.doctor()
        #expect(checks["token-scopes"]?.status == .warn && checks["token-scopes"]?.message.contains("cannot read") == true)
        #expect(failed == ["security-key"])
    }

    @Test func localCredentialsAgainstTheProfile() async throws {
        let world = try await World.start()
        defer { Task { await world.stop() } }
        let none = try #require(try await world.doctor().checks["credentials"])
        #expect(none.status == .warn && none.message.contains("no local credential") && none.fix?.contains("ciauth enroll") == true)

        try world.enrollLocally([world.matched])
        let (failed, checks) = try await world.doctor()
        let matched = try #require(checks["credentials"])
        #expect(matched.status == .ok && failed == ["security-key"], "\(matched)")
        #expect(matched.message.contains("is GitLab key 71"))
        // Registered elsewhere (another machine, or resident): information only.
        #expect(matched.message.contains("key 74 \(try world.elsewhere.publicKey.fingerprint)"))

        try world.enrollLocally([world.unregistered])
        let unregistered = try await world.doctor()
        let check = try #require(unregistered.checks["credentials"])
        #expect(check.status == .fail && unregistered.failed == ["security-key", "credentials"])
        #expect(check.message.contains("\(try world.unregistered.publicKey.fingerprint)") && check.message.contains("unknown key"))
        #expect(check.fix?.contains("ciauth enroll --import \(world.simulation.home.path)/ciauth/keys/") == true)
    }

    @Test func expiredAndAuthOnlyRegistrationsFail() async throws {
        let world = try await World.start()
        defer { Task { await world.stop() } }
        try world.enrollLocally([world.expired])
        let expired = try #require(try await world.doctor().checks["credentials"])
        #expect(expired.status == .fail && expired.message.contains("key 72, which has expired"))
        #expect(expired.fix?.contains("ciauth keys revoke 72") == true)

        try FileManager.default.removeItem(at: world.simulation.home.appendingPathComponent("ciauth/keys"))
        try world.enrollLocally([world.authOnly])
        let authOnly = try #require(try await world.doctor().checks["credentials"])
        #expect(authOnly.status == .fail && authOnly.message.contains("usage auth") && authOnly.message.contains("signing keys"))
    }
}
