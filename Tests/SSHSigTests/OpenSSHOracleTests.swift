import Foundation
import Testing
@testable import SSHSig

/// OpenSSH's `ssh-keygen` judges our output, and our verifier judges OpenSSH's, for both key types.
@Suite struct OpenSSHOracleTests {
    let message = Array("ciauth approval v1\nproject acme/app\njob 4711\n".utf8)

    // MARK: (a) ssh-keygen -Y verify accepts signatures we produce

    @Test(arguments: [SoftwareSecurityKey.p256(), SoftwareSecurityKey.ed25519()], SSHSigHashAlgorithm.allCases)
    func sshKeygenAcceptsOurSignatures(key: SoftwareSecurityKey, hash: SSHSigHashAlgorithm) throws {
        let openSSH = try OpenSSH()
        let publicKey = try key.publicKey
        let signature = try key.sshSignature(message: message, namespace: "ciauth", hashAlgorithm: hash)
        let allowed = "alice@example.com namespaces=\"ciauth\" \(publicKey.authorizedKeysLine(comment: "alice"))\n"
        let good = try openSSH.verify(signature.armored, message: message, principal: "alice@example.com", namespace: "ciauth", allowedSigners: allowed)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "Good \"ciauth\" signature for alice@example.com with \(publicKey.keyType.displayName) key \(publicKey.fingerprint)\n")

        let tampered = try openSSH.verify(signature.armored, message: message + [0x0A], principal: "alice@example.com", namespace: "ciauth", allowedSigners: allowed)
        #expect(tampered.status != 0)
    }

    // MARK: (b) our verifier accepts signatures ssh-keygen -Y sign makes through a middleware

    @Test(arguments: ["ecdsa-sk", "ed25519-sk"])
    func ourVerifierAcceptsSSHKeygenSignatures(keyType: String) throws {
        let openSSH = try OpenSSH()
        let keyFile = try openSSH.enroll(keyType: keyType, application: "ssh:ciauth")
        let publicKey = try SKPublicKey(authorizedKeysLine: try String(contentsOfFile: keyFile + ".pub", encoding: .utf8))
        let armored = try openSSH.sign(keyFile: keyFile, message: message, namespace: "ciauth", environment: ["SK_TEST_COUNTER": "31337"])

        let signature = try SSHSignature(armored: armored)
        #expect(signature.armored == armored)
        #expect(signature.publicKey == publicKey)
        #expect(signature.hashAlgorithm == .sha512)
        guard case .valid(let details) = SSHSigVerifier().verify(signature: signature, message: message, namespace: "ciauth") else {
            Issue.record("ssh-keygen signature did not verify")
            return
        }
        #expect(details.counter == 31337)
        #expect(details.flags == 0x01)
        #expect(SSHSigVerifier().verify(signature: signature, message: Array(message.dropLast()), namespace: "ciauth").failure == .signatureMismatch)
    }

    /// `ssh-keygen -Y verify` accepts a signature made without a touch; ciauth must not.
    @Test(arguments: ["ecdsa-sk", "ed25519-sk"])
    func noTouchSignatureThatOpenSSHAcceptsIsRefused(keyType: String) throws {
        let openSSH = try OpenSSH()
        let keyFile = try openSSH.enroll(keyType: keyType, application: "ssh:ciauth")
        let armored = try openSSH.sign(keyFile: keyFile, message: message, namespace: "ciauth", environment: ["SK_TEST_FLAGS": "0"])
        let line = try String(contentsOfFile: keyFile + ".pub", encoding: .utf8)
        let openSSHVerdict = try openSSH.verify(armored, message: message, principal: "bob", namespace: "ciauth", allowedSigners: "bob \(line)")
        #expect(openSSHVerdict.status == 0)
        let ours = try SSHSigVerifier().verify(armoredSignature: armored, message: message, namespace: "ciauth")
        #expect(ours.failure == .userPresenceMissing)
    }
}

/// Drives `ssh-keygen` in a private temporary directory, with the test security-key middleware.
struct OpenSSH {
    let workspace: TemporaryDirectory
    let keygen: String

    init() throws {
        keygen = try #require(Tools.sshKeygen, "ssh-keygen (openssh-client) is required for the oracle tests")
        workspace = try TemporaryDirectory()
    }

    func verify(_ armored: String, message: [UInt8], principal: String, namespace: String, allowedSigners: String, extraOptions: [String] = []) throws -> ProcessOutput {
        let signers = try workspace.write("allowed_signers", allowedSigners)
        let signatureFile = try workspace.write("message.sig", armored)
        return try run(keygen, ["-Y", "verify", "-f", signers, "-I", principal, "-n", namespace, "-s", signatureFile] + extraOptions, stdin: message)
    }

    /// Compiles the middleware (Fixtures/sk-test-provider.c) into the workspace.
    func buildProvider() throws -> String {
        let cc = try #require(Tools.cc, "a C compiler is required to build the test middleware")
        let output = workspace.path("provider.so")
        guard !FileManager.default.fileExists(atPath: output) else { return output }
        let source = Fixtures.url("sk-test-provider.c").path
        let result = try run(cc, ["-shared", "-fPIC", "-Wno-deprecated-declarations", "-o", output, source, "-lcrypto"])
        #expect(result.status == 0, "building the middleware failed: \(result.stderr)")
        return output
    }

    /// `ssh-keygen -t <type>-sk -w provider.so`: returns the private key path (public key beside it).
    func enroll(keyType: String, application: String, extraOptions: [String] = []) throws -> String {
        let provider = try buildProvider()
        let keyFile = workspace.path("id_\(keyType)")
        let result = try run(keygen, ["-q", "-t", keyType, "-w", provider, "-f", keyFile, "-N", "", "-O", "application=\(application)", "-C", "test"] + extraOptions)
        try #require(result.status == 0, "enrollment failed: \(result.stderr)")
        return keyFile
    }

    /// `ssh-keygen -Y sign` of `message` on stdin; returns the armored signature from stdout.
    func sign(keyFile: String, message: [UInt8], namespace: String, environment: [String: String] = [:]) throws -> String {
        let provider = try buildProvider()
        let result = try run(keygen, ["-Y", "sign", "-w", provider, "-f", keyFile, "-n", namespace], stdin: message, environment: environment)
        try #require(result.status == 0, "signing failed: \(result.stderr)")
        return result.stdout
    }
}
