import Foundation
import Testing
import VirtualKey

/// Yubico's python-fido2 as an independent CTAP2 client: it verifies attestation and assertion
/// signatures with its own code. Disabled only when python3 or the fido2 module is missing.
@Suite(.enabled(if: ProcessRunner.pythonFido2Available, "python3 with the fido2 module (python-fido2) is not installed"))
struct PythonFido2Tests {
    @Test(arguments: ["credentials", "resident", "pin", "self-attestation", "builtin-uv"])
    func scenario(_ name: String) throws {
        let key = try TestKey {
            $0.attestation = name == "self-attestation" ? .self : .packed
            $0.builtInUV = name == "builtin-uv"
        }
        defer { key.stop() }
        let rootCA = key.directory.appendingPathComponent("root-ca.der")
        try Data(TestAttestation.rootCertificateDER).write(to: rootCA)
        let script = try #require(Bundle.module.url(forResource: "python_fido2_client", withExtension: "py", subdirectory: "Fixtures"))
        let result = try ProcessRunner.python([script.path, name, key.socketPath, rootCA.path])
        #expect(result.status == 0, "python-fido2 \(name) failed:\n\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("done: \(name)"))
        #expect(!result.stdout.contains("FAILED"))
    }
}
