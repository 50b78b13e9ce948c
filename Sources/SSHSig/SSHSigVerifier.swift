import Crypto
import Foundation

/// Verifies SSHSIG signatures made by FIDO security keys, more strictly than `ssh-keygen -Y verify`:
/// only sk key types, user presence always required, user verification when the policy asks.
///
/// Malformed input throws `SSHSigError`; a well-formed signature that is not acceptable yields
/// `.invalid(reason)`. Whether the *key* is trusted is the caller's decision (see `AllowedSigners`).
public struct SSHSigVerifier: Sendable {
    public init() {}

    public func verify(signature: SSHSignature, message: some DataProtocol, namespace: String, policy: VerificationPolicy = .default) -> VerificationResult {
        guard signature.namespace == namespace else {
            return .invalid(.namespaceMismatch(expected: namespace, found: signature.namespace))
        }
        guard policy.allowedHashAlgorithms.contains(signature.hashAlgorithm) else {
            return .invalid(.hashAlgorithmNotAllowed(signature.hashAlgorithm))
        }
        guard let signedData = try? SSHSignature.signedData(namespace: namespace, hashAlgorithm: signature.hashAlgorithm, message: message),
              isAuthentic(signature.signature, by: signature.publicKey, over: signedData)
        else {
            return .invalid(.signatureMismatch)
        }
        guard signature.signature.isUserPresent else { return .invalid(.userPresenceMissing) }
        guard signature.signature.isUserVerified || !policy.requireUserVerification else {
            return .invalid(.userVerificationMissing)
        }
        return .valid(VerifiedSignature(
            publicKey: signature.publicKey, namespace: namespace, hashAlgorithm: signature.hashAlgorithm,
            flags: signature.signature.flags, counter: signature.signature.counter))
    }

    /// Parses armored text (throws if malformed), then verifies.
    public func verify(armoredSignature: String, message: some DataProtocol, namespace: String, policy: VerificationPolicy = .default) throws(SSHSigError) -> VerificationResult {
        verify(signature: try SSHSignature(armored: armoredSignature), message: message, namespace: namespace, policy: policy)
    }

    /// Checks the authenticator's signature over PROTOCOL.u2f's message for `signedData`.
    func isAuthentic(_ signature: SKSignature, by key: SKPublicKey, over signedData: [UInt8]) -> Bool {
        let message = AuthenticatorMessage.bytes(
            application: key.application, flags: signature.flags, counter: signature.counter, signedData: signedData)
        switch (key.material, signature.value) {
        case (.ecdsaP256(let point), .ecdsaP256):
            guard let raw = signature.ecdsaRawRepresentation,
                  let publicKey = try? P256.Signing.PublicKey(x963Representation: point),
                  let ecdsaSignature = try? P256.Signing.ECDSASignature(rawRepresentation: raw)
            else { return false }
            return publicKey.isValidSignature(ecdsaSignature, for: SHA256.hash(data: message))
        case (.ed25519(let raw), .ed25519(let bytes)):
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
            return publicKey.isValidSignature(bytes, for: message)
        default:
            return false
        }
    }
}
