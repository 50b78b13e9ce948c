import Foundation
import Testing

extension GateTests {
    /// SQLite is opened only when the gate records a pass (`GatePassStoreLibrary`); without it the
    /// gate fails closed. `LoaderAudit` watches the built binary and hides SQLite from it.
    @Suite("SQLite on first use")
    struct GateLibraryTests {
        @Test("a passing gate loads SQLite, and not libfido2")
        func passLoadsSQLite() async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            let input = try world.simToken(job) + "\n" + (try await world.approval(for: job)) + "\n"
            let audit = try LoaderAudit()
            defer { audit.remove() }
            let passed = try await BuiltBinary(name: "ciauth").run(
                ["gate", "check", "--policy", try world.policy().path], environment: audit.environment(), stdin: input)
            #expect(passed.status == 0, "\(passed.stderr)")
            let loaded = audit.loaded()
            #expect(loaded.contains { $0.contains("libsqlite3.so") }, "\(loaded)")
            #expect(!loaded.contains { $0.contains("libfido2") || $0.contains("libcrypto") }, "\(loaded)")
        }

        @Test("without SQLite the gate refuses with pass-store-failed naming libsqlite3-0 and runs nothing; with it the pair passes")
        func missingSQLiteFailsClosed() async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            let input = try world.simToken(job) + "\n" + (try await world.approval(for: job)) + "\n"
            let policy = try world.policy()
            let ran = policy.directory.appendingPathComponent("ran.txt").path
            let arguments = ["gate", "exec", "--policy", policy.path, "--", "/bin/sh", "-c", "echo ran >> \(GateEndToEndTests.quoted(ran))"]
            let audit = try LoaderAudit()
            defer { audit.remove() }
            let ciauth = BuiltBinary(name: "ciauth")

            let refused = try await ciauth.run(arguments, environment: audit.environment(hiding: "libsqlite3.so"), stdin: input)
            #expect(refused.status == 1, "\(refused.status): \(refused.stderr)")
            #expect(refused.stderr.contains("pass-store-failed"), "\(refused.stderr)")
            #expect(refused.stderr.contains("libsqlite3.so.0"), "\(refused.stderr)")
            #expect(refused.stderr.contains("Install the package libsqlite3-0"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: ran), "the protected command ran without a recorded pass")
            #expect(!audit.loaded().contains { $0.contains("libsqlite3") })

            // The refusal recorded nothing: the same token and approval pass once SQLite is there.
            let passed = try await ciauth.run(arguments, stdin: input)
            #expect(passed.status == 0, "\(passed.stderr)")
            #expect(try String(contentsOfFile: ran, encoding: .utf8) == "ran\n")
        }
    }
}
