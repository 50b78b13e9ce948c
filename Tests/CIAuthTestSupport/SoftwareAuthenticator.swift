import CIAuthCore
import Crypto
import Foundation
import SSHSig

/// A software stand-in for a FIDO2 security key that signs exactly what an authenticator signs
/// for an OpenSSH sk key: SHA256(application) || flags || counter (big-endian) || clientDataHash,
/// ECDSA P-256 over SHA-256 of it (DER output) or Ed25519 over it. Written independently of the
/// SSHSig target so that each checks the other. Flags are settable so tests can make signatures a
/// real key never makes (no touch).
public struct SoftwareAuthenticator: Sendable {
    public enum PrivateKey: Sendable {
        case p256(P256.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    public let privateKey: PrivateKey
    public let application: String
    public var flags: UInt8 = 0x01
    public var counter: UInt32 = 41

    public init(privateKey: PrivateKey, application: String = "ssh:") {
        self.privateKey = privateKey
        self.application = application
    }

    public static func p256(application: String = "ssh:") -> SoftwareAuthenticator {
        SoftwareAuthenticator(privateKey: .p256(P256.Signing.PrivateKey()), application: application)
    }

    public static func ed25519(application: String = "ssh:") -> SoftwareAuthenticator {
        SoftwareAuthenticator(privateKey: .ed25519(Curve25519.Signing.PrivateKey()), application: application)
    }

    public func with(flags: UInt8) -> SoftwareAuthenticator {
        var copy = self
        copy.flags = flags
        return copy
    }

    public var publicKey: SKPublicKey {
        get throws {
            switch privateKey {
            case .p256(let key): try SKPublicKey(ecdsaP256Point: Array(key.publicKey.x963Representation), application: application)
            case .ed25519(let key): try SKPublicKey(ed25519: Array(key.publicKey.rawRepresentation), application: application)
            }
        }
    }

    /// The public key as GitLab's key API and `.pub` files write it.
    public var publicKeyLine: String {
        get throws { try publicKey.authorizedKeysLine(comment: "test key") }
    }

    /// The authenticator's 69-byte message for a clientDataHash.
    public func message(clientDataHash: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array(application.utf8))) + [flags]
            + [UInt8(counter >> 24), UInt8(counter >> 16 & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter & 0xFF)]
            + clientDataHash
    }

    public func assert(clientDataHash: [UInt8]) throws -> AuthenticatorAssertion {
        precondition(clientDataHash.count == 32)
        let message = message(clientDataHash: clientDataHash)
        let signature: [UInt8]
        switch privateKey {
        case .p256(let key): signature = Array(try key.signature(for: message).derRepresentation)
        case .ed25519(let key): signature = Array(try key.signature(for: message))
        }
        return AuthenticatorAssertion(publicKey: try publicKey, flags: flags, counter: counter, signature: signature)
    }

    /// ciauth's own signer driven by this key.
    public var signer: ApprovalSigner {
        ApprovalSigner { clientDataHash in try self.assert(clientDataHash: clientDataHash) }
    }

    /// The transport value of a ciauth approval of `statement`, through ciauth's own signer.
    public func approve(_ statement: ApprovalStatement) async throws -> String {
        try await signer.sign(statement).transportValue
    }

    /// An SSHSIG made with this key over any message, namespace and hash, bypassing ciauth's
    /// signer (which refuses to make the bad signatures some tests need).
    public func sshSignature(message: [UInt8], namespace: String, hash: SSHSigHashAlgorithm = .sha512) throws -> SSHSignature {
        let signedData = try SSHSignature.signedData(namespace: namespace, hashAlgorithm: hash, message: message)
        let assertion = try assert(clientDataHash: Array(SHA256.hash(data: signedData)))
        let skSignature: SKSignature
        switch privateKey {
        case .p256:
            let raw = Array(try P256.Signing.ECDSASignature(derRepresentation: assertion.signature).rawRepresentation)
            skSignature = try SKSignature(ecdsaR: raw[..<32], s: raw[32...], flags: flags, counter: counter)
        case .ed25519:
            skSignature = try SKSignature(ed25519: assertion.signature, flags: flags, counter: counter)
        }
        return try SSHSignature(publicKey: try publicKey, namespace: namespace, hashAlgorithm: hash, signature: skSignature)
    }

    /// A transport value whose SSHSIG is made directly (namespace of choice, any flags).
    public func rawApproval(_ statement: ApprovalStatement, namespace: String = ApprovalProtocol.namespace) throws -> String {
        let signature = try sshSignature(message: statement.encoded, namespace: namespace)
        return ApprovalTransport(statementBytes: statement.encoded, signatureBlob: signature.sshWireEncoded).encoded
    }
}
