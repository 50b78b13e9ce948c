import CIAuthCore
import Crypto
import Foundation
import SSHSig

/// A software stand-in for a FIDO2 security key, signing exactly what an authenticator signs for
/// an OpenSSH sk key: SHA256(application) || flags || counter (big-endian) || clientDataHash,
/// ECDSA P-256 over SHA-256 of it (DER) or Ed25519 over it. Flags are settable so tests can make
/// the signatures a real key would never make (no touch).
struct VerifySoftwareAuthenticator: Sendable {
    enum PrivateKey: Sendable {
        case p256(P256.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    let privateKey: PrivateKey
    let application: String
    var flags: UInt8 = 0x01
    var counter: UInt32 = 41

    static func p256() -> VerifySoftwareAuthenticator {
        VerifySoftwareAuthenticator(privateKey: .p256(P256.Signing.PrivateKey()), application: "ssh:")
    }

    static func ed25519() -> VerifySoftwareAuthenticator {
        VerifySoftwareAuthenticator(privateKey: .ed25519(Curve25519.Signing.PrivateKey()), application: "ssh:")
    }

    func with(flags: UInt8) -> VerifySoftwareAuthenticator {
        var copy = self
        copy.flags = flags
        return copy
    }

    var publicKey: SKPublicKey {
        get throws {
            switch privateKey {
            case .p256(let key): try SKPublicKey(ecdsaP256Point: Array(key.publicKey.x963Representation), application: application)
            case .ed25519(let key): try SKPublicKey(ed25519: Array(key.publicKey.rawRepresentation), application: application)
            }
        }
    }

    /// The public key as GitLab's key API and `.pub` files write it.
    var publicKeyLine: String {
        get throws { try publicKey.authorizedKeysLine(comment: "test key") }
    }

    func assert(clientDataHash: [UInt8]) throws -> AuthenticatorAssertion {
        let message = Array(SHA256.hash(data: Array(application.utf8))) + [flags]
            + [UInt8(counter >> 24), UInt8(counter >> 16 & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter & 0xFF)]
            + clientDataHash
        let signature: [UInt8]
        switch privateKey {
        case .p256(let key): signature = Array(try key.signature(for: message).derRepresentation)
        case .ed25519(let key): signature = Array(try key.signature(for: message))
        }
        return AuthenticatorAssertion(publicKey: try publicKey, flags: flags, counter: counter, signature: signature)
    }

    /// The transport value of a ciauth approval of `statement`, through ciauth's own signer.
    func approve(_ statement: ApprovalStatement) async throws -> String {
        let authenticator = self
        return try await ApprovalSigner { try authenticator.assert(clientDataHash: $0) }.sign(statement).transportValue
    }

    /// A transport value whose SSHSIG is made directly (namespace of choice, any flags), for the
    /// signatures ciauth's signer refuses to make.
    func rawApproval(_ statement: ApprovalStatement, namespace: String = ApprovalProtocol.namespace) throws -> String {
        let signedData = try SSHSignature.signedData(namespace: namespace, hashAlgorithm: .sha512, message: statement.encoded)
        let assertion = try assert(clientDataHash: Array(SHA256.hash(data: signedData)))
        let skSignature: SKSignature
        switch privateKey {
        case .p256:
            let raw = Array(try P256.Signing.ECDSASignature(derRepresentation: assertion.signature).rawRepresentation)
            skSignature = try SKSignature(ecdsaR: raw[..<32], s: raw[32...], flags: flags, counter: counter)
        case .ed25519:
            skSignature = try SKSignature(ed25519: assertion.signature, flags: flags, counter: counter)
        }
        let signature = try SSHSignature(publicKey: try publicKey, namespace: namespace, hashAlgorithm: .sha512, signature: skSignature)
        return ApprovalTransport(statementBytes: statement.encoded, signatureBlob: signature.sshWireEncoded).encoded
    }
}
