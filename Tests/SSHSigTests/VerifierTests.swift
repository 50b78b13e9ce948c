import Testing
@testable import SSHSig

@Suite struct VerifierTests {
    let message = Array("ciauth approval v1\njob 4711\n".utf8)
    let verifier = SSHSigVerifier()

    @Test(arguments: [SoftwareSecurityKey.p256(), SoftwareSecurityKey.ed25519()], SSHSigHashAlgorithm.allCases)
    func validSignatureVerifiesWithDetails(key: SoftwareSecurityKey, hash: SSHSigHashAlgorithm) throws {
        let signature = try key.sshSignature(message: message, namespace: "ciauth", hashAlgorithm: hash, flags: 0x05, counter: 99)
        let result = verifier.verify(signature: signature, message: message, namespace: "ciauth")
        guard case .valid(let details) = result else {
            Issue.record("expected valid, got \(result)")
            return
        }
        #expect(details.publicKey == (try key.publicKey))
        #expect(details.counter == 99)
        #expect(details.flags == 0x05)
        #expect(details.isUserVerified)
        #expect(details.hashAlgorithm == hash)
        #expect(details.fingerprint.hasPrefix("SHA256:"))
    }

    @Test(arguments: [SoftwareSecurityKey.p256(), SoftwareSecurityKey.ed25519()])
    func userPresenceIsAlwaysRequired(key: SoftwareSecurityKey) throws {
        for flags: UInt8 in [0x00, 0x04, 0x80] {
            let signature = try key.sshSignature(message: message, flags: flags)
            #expect(verifier.verify(signature: signature, message: message, namespace: "ciauth-test").failure == .userPresenceMissing)
        }
    }

    @Test(arguments: [SoftwareSecurityKey.p256(), SoftwareSecurityKey.ed25519()])
    func userVerificationRequiredOnlyWhenPolicyAsks(key: SoftwareSecurityKey) throws {
        let touchOnly = try key.sshSignature(message: message, flags: 0x01)
        let strict = VerificationPolicy(requireUserVerification: true)
        #expect(verifier.verify(signature: touchOnly, message: message, namespace: "ciauth-test").isValid)
        #expect(verifier.verify(signature: touchOnly, message: message, namespace: "ciauth-test", policy: strict).failure == .userVerificationMissing)
        let verified = try key.sshSignature(message: message, flags: 0x05)
        #expect(verifier.verify(signature: verified, message: message, namespace: "ciauth-test", policy: strict).isValid)
    }

    @Test func hashAlgorithmPolicyIsEnforced() throws {
        let signature = try SoftwareSecurityKey.p256().sshSignature(message: message, hashAlgorithm: .sha256)
        let policy = VerificationPolicy(allowedHashAlgorithms: [.sha512])
        #expect(verifier.verify(signature: signature, message: message, namespace: "ciauth-test", policy: policy).failure == .hashAlgorithmNotAllowed(.sha256))
    }

    @Test func armoredEntryPointParsesThenVerifies() throws {
        let signature = try SoftwareSecurityKey.ed25519().sshSignature(message: message)
        #expect(try verifier.verify(armoredSignature: signature.armored, message: message, namespace: "ciauth-test").isValid)
        #expect(throws: SSHSigError.missingArmorHeader) { try verifier.verify(armoredSignature: "x", message: message, namespace: "ciauth-test") }
    }

    @Test func signatureBoundToApplication() throws {
        let key = SoftwareSecurityKey.p256(application: "ssh:ciauth")
        let signature = try key.sshSignature(message: message)
        let otherApplication = try SKPublicKey(ecdsaP256Point: {
            guard case .ecdsaP256(let point) = try key.publicKey.material else { return [] }
            return point
        }(), application: "ssh:other")
        let moved = try SSHSignature(publicKey: otherApplication, namespace: signature.namespace, hashAlgorithm: signature.hashAlgorithm, signature: signature.signature)
        #expect(verifier.verify(signature: moved, message: message, namespace: "ciauth-test").failure == .signatureMismatch)
    }
}
