import Crypto
import Foundation
import Testing

@testable import FIDO2

/// Checks the shapes handed to OpenSSH with a verifier that is not libfido2 (swift-crypto):
/// ES256 (r, s) and the 65-byte public key, EdDSA's 64-byte signature and 32-byte key, over
/// authenticatorData ‖ clientDataHash as the key signed it.
@Suite struct IndependentVerificationTests {
    @Test func es256RAndSVerifyWithSwiftCrypto() async throws {
        let key = try await VirtualKeyProcess()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest(.es256))
        let publicKey = try P256.Signing.PublicKey(x963Representation: credential.publicKey)
        for seed in UInt8(1)...UInt8(8) {
            var request = Sample.assertionRequest([credential])
            request.clientDataHash = Sample.hash(seed)
            let assertion = try await device.getAssertion(request)
            guard case .es256(let signature, _) = assertion.signature else {
                Issue.record("not ES256")
                return
            }
            let parsed = try P256.Signing.ECDSASignature(rawRepresentation: signature.rawRepresentation)
            let signed = Data(assertion.authenticatorData + request.clientDataHash)
            #expect(publicKey.isValidSignature(parsed, for: signed))
            #expect(!publicKey.isValidSignature(parsed, for: Data(assertion.authenticatorData + Sample.hash(seed &+ 100))))
        }
    }

    @Test func eddsaVerifiesWithSwiftCrypto() async throws {
        let key = try await VirtualKeyProcess()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest(.eddsa))
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: credential.publicKey)
        let request = Sample.assertionRequest([credential])
        let assertion = try await device.getAssertion(request)
        guard case .eddsa(let signature) = assertion.signature else {
            Issue.record("not EdDSA")
            return
        }
        #expect(publicKey.isValidSignature(signature, for: assertion.authenticatorData + request.clientDataHash))
    }
}
