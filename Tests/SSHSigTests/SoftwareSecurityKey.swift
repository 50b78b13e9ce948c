import Crypto
import Foundation
import Testing
@testable import SSHSig

/// A software stand-in for a FIDO authenticator: it signs exactly the PROTOCOL.u2f message a real
/// key signs (authenticator data || clientDataHash), so its output is what libfido2 would return.
struct SoftwareSecurityKey: Sendable, CustomTestStringConvertible {
    enum PrivateKey: Sendable {
        case p256(P256.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    let privateKey: PrivateKey
    let application: String

    var testDescription: String {
        switch privateKey {
        case .p256: "P-256 key"
        case .ed25519: "Ed25519 key"
        }
    }

    static func p256(application: String = "ssh:ciauth") -> SoftwareSecurityKey {
        SoftwareSecurityKey(privateKey: .p256(P256.Signing.PrivateKey()), application: application)
    }

    static func ed25519(application: String = "ssh:ciauth") -> SoftwareSecurityKey {
        SoftwareSecurityKey(privateKey: .ed25519(Curve25519.Signing.PrivateKey()), application: application)
    }

    var publicKey: SKPublicKey {
        get throws {
            switch privateKey {
            case .p256(let key):
                try SKPublicKey(ecdsaP256Point: Array(key.publicKey.x963Representation), application: application)
            case .ed25519(let key):
                try SKPublicKey(ed25519: Array(key.publicKey.rawRepresentation), application: application)
            }
        }
    }

    /// The assertion an authenticator returns for clientDataHash = SHA256(signedData).
    func sign(signedData: [UInt8], flags: UInt8 = 0x01, counter: UInt32 = 7) throws -> SKSignature {
        let message = AuthenticatorMessage.bytes(application: application, flags: flags, counter: counter, signedData: signedData)
        switch privateKey {
        case .p256(let key):
            let raw = Array(try key.signature(for: message).rawRepresentation)
            return try SKSignature(ecdsaR: raw[..<32], s: raw[32...], flags: flags, counter: counter)
        case .ed25519(let key):
            return try SKSignature(ed25519: Array(try key.signature(for: message)), flags: flags, counter: counter)
        }
    }

    /// A complete SSHSIG signature over `message`, as `ciauth approve` would produce it.
    func sshSignature(message: [UInt8], namespace: String = "ciauth-test", hashAlgorithm: SSHSigHashAlgorithm = .sha512, flags: UInt8 = 0x01, counter: UInt32 = 7) throws -> SSHSignature {
        let signedData = try SSHSignature.signedData(namespace: namespace, hashAlgorithm: hashAlgorithm, message: message)
        let signature = try sign(signedData: signedData, flags: flags, counter: counter)
        return try SSHSignature(publicKey: try publicKey, namespace: namespace, hashAlgorithm: hashAlgorithm, signature: signature)
    }
}
