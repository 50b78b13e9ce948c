import ChildProcess
import Foundation
import Testing

/// libfido2 is opened only by the commands that need a security key, SQLite only by the gate's
/// pass store (GateLibraryTests, VerifyLibraryLoadingTests). `LoaderAudit` watches the real binary.
@Suite struct LibraryLoadingTests {
    let ciauth = BuiltBinary(name: "ciauth")
    let fixtures = GeneratedFilesTests.packageRoot.appendingPathComponent("Tests/CIAuthCoreTests/Fixtures")

    private var checkApproval: [String] {
        ["check-approval", "--allowed-signers", fixtures.appendingPathComponent("allowed_signers-p256").path,
         "--approval", fixtures.appendingPathComponent("approval-v2-p256.transport").path, "--at", "2026-11-28T21:30:00Z"]
    }

    /// Runs ciauth under the audit library; returns the result and the objects it loaded.
    private func audited(_ arguments: [String], hiding: String? = nil) async throws -> (BuiltBinary.Result, [String]) {
        let audit = try LoaderAudit()
        defer { audit.remove() }
        let result = try await ciauth.run(arguments, environment: audit.environment(hiding: hiding))
        return (result, audit.loaded())
    }

    static func loadsOptionalLibrary(_ path: String) -> Bool {
        path.contains("libfido2") || path.contains("libcrypto") || path.contains("libsqlite3")
    }

    @Test("verifying, --version and --help never load libfido2, its libcrypto or SQLite")
    func verifyingCommandsLoadNoOptionalLibrary() async throws {
        for arguments in [checkApproval, ["--version"], ["verify", "--help"], ["gate", "check", "--help"]] {
            let (result, loaded) = try await audited(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(!loaded.isEmpty, "the audit library logged nothing")
            #expect(!loaded.contains(where: Self.loadsOptionalLibrary), "\(arguments) loaded \(loaded)")
        }
    }

    @Test("devices loads libfido2 when it needs it")
    func devicesLoadsLibFIDO2() async throws {
        let (_, loaded) = try await audited(["devices", "--device", "unix:/nonexistent/k.sock"])
        #expect(loaded.contains { $0.contains("libfido2.so") })
    }

    @Test("without libfido2, check-approval still verifies and devices names the package to install")
    func missingLibFIDO2() async throws {
        let (verified, _) = try await audited(checkApproval, hiding: "libfido2.so")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("approved by alice"))

        let (devices, loaded) = try await audited(["devices", "--device", "unix:/nonexistent/k.sock"], hiding: "libfido2.so")
        #expect(devices.status == 69)
        #expect(devices.stderr.contains("libfido2.so.1"))
        #expect(devices.stderr.contains("install the package libfido2-1") || devices.stderr.contains("Install the package libfido2-1"))
        #expect(!loaded.contains { $0.contains("libfido2") })
    }

    @Test("without SQLite, the binary starts and check-approval verifies")
    func missingSQLite() async throws {
        let (verified, loaded) = try await audited(checkApproval, hiding: "libsqlite3.so")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("approved by alice"))
        #expect(!loaded.contains { $0.contains("libsqlite3") })
    }
}
