import ChildProcess
import Foundation
import Testing

/// libfido2 is opened only by the commands that need a security key. The dynamic loader's audit
/// interface (LD_AUDIT, rtld-audit(7)) watches the real binary: a small audit library, compiled
/// here, logs every object the process loads and, when asked, makes libfido2 unfindable.
@Suite struct LibraryLoadingTests {
    static let auditSource = """
        #define _GNU_SOURCE
        #include <link.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        unsigned int la_version(unsigned int version) { (void)version; return LAV_CURRENT; }
        char *la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag) {
            (void)cookie; (void)flag;
            if (getenv("HIDE_LIBFIDO2") != NULL && strstr(name, "libfido2.so") != NULL) return NULL;
            return (char *)name;
        }
        unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie) {
            (void)lmid; (void)cookie;
            const char *log = getenv("AUDIT_LOG");
            FILE *file = log != NULL ? fopen(log, "a") : NULL;
            if (file != NULL) { fprintf(file, "%s\\n", map->l_name); fclose(file); }
            return 0;
        }
        """

    let ciauth = BuiltBinary(name: "ciauth")
    let fixtures = GeneratedFilesTests.packageRoot.appendingPathComponent("Tests/CIAuthCoreTests/Fixtures")

    /// Compiles the audit library into a fresh directory.
    private func auditLibrary() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = directory.appendingPathComponent("audit.c")
        try Data(Self.auditSource.utf8).write(to: source)
        let library = directory.appendingPathComponent("audit.so")
        let compiled = try ChildProcess.run("/usr/bin/env", ["cc", "-shared", "-fPIC", "-o", library.path, source.path])
        try #require(compiled.exit.status == 0, "cc failed: \(String(decoding: compiled.stderr, as: UTF8.self))")
        return library
    }

    private var checkApproval: [String] {
        ["check-approval", "--allowed-signers", fixtures.appendingPathComponent("allowed_signers-p256").path,
         "--approval", fixtures.appendingPathComponent("approval-v2-p256.transport").path, "--at", "2026-11-28T21:30:00Z"]
    }

    /// Runs ciauth under the audit library; returns the result and the objects it loaded.
    private func audited(_ arguments: [String], hideLibFIDO2: Bool) async throws -> (BuiltBinary.Result, [String]) {
        let library = try auditLibrary()
        defer { try? FileManager.default.removeItem(at: library.deletingLastPathComponent()) }
        let log = library.deletingLastPathComponent().appendingPathComponent("loaded.log")
        var environment = ["LD_AUDIT": library.path, "AUDIT_LOG": log.path]
        if hideLibFIDO2 { environment["HIDE_LIBFIDO2"] = "1" }
        let result = try await ciauth.run(arguments, environment: environment)
        let loaded = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (result, loaded.split(separator: "\n").map(String.init))
    }

    @Test("verifying, --version and --help never load libfido2 or its libcrypto")
    func verifyingCommandsDoNotLoadLibFIDO2() async throws {
        for arguments in [checkApproval, ["--version"], ["verify", "--help"]] {
            let (result, loaded) = try await audited(arguments, hideLibFIDO2: false)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(!loaded.isEmpty, "the audit library logged nothing")
            #expect(!loaded.contains { $0.contains("libfido2") || $0.contains("libcrypto") }, "\(arguments) loaded \(loaded)")
        }
    }

    @Test("devices loads libfido2 when it needs it")
    func devicesLoadsLibFIDO2() async throws {
        let (_, loaded) = try await audited(["devices", "--device", "unix:/nonexistent/k.sock"], hideLibFIDO2: false)
        #expect(loaded.contains { $0.contains("libfido2.so") })
    }

    @Test("without libfido2, check-approval still verifies and devices names the package to install")
    func missingLibFIDO2() async throws {
        let (verified, _) = try await audited(checkApproval, hideLibFIDO2: true)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("approved by alice"))

        let (devices, loaded) = try await audited(["devices", "--device", "unix:/nonexistent/k.sock"], hideLibFIDO2: true)
        #expect(devices.status == 69)
        #expect(devices.stderr.contains("libfido2.so.1"))
        #expect(devices.stderr.contains("install the package libfido2-1") || devices.stderr.contains("Install the package libfido2-1"))
        #expect(!loaded.contains { $0.contains("libfido2") })
    }
}
