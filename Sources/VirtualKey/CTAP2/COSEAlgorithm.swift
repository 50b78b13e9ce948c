import Crypto
import Foundation

/// The credential algorithms this key supports (COSE identifiers, RFC 9053).
public enum COSEAlgorithm: Int, Codable, Sendable, CaseIterable {
    case es256 = -7
    case edDSA = -8

    /// A fresh private key's raw representation.
    func generatePrivateKey() -> [UInt8] {
        switch self {
        case .es256: Array(P256.Signing.PrivateKey().rawRepresentation)
        case .edDSA: Array(Curve25519.Signing.PrivateKey().rawRepresentation)
        }
    }

    /// The COSE_Key of the public key (CTAP 2.1 §6.5.6; RFC 9053 §7).
    func publicCOSEKey(privateKey raw: [UInt8]) throws -> CBORValue {
        switch self {
        case .es256:
            let point = Array(try P256.Signing.PrivateKey(rawRepresentation: raw).publicKey.rawRepresentation)
            return .map([1: 2, 3: .int(rawValue), -1: 1, -2: .bytes(Array(point[0..<32])), -3: .bytes(Array(point[32..<64]))])
        case .edDSA:
            let point = Array(try Curve25519.Signing.PrivateKey(rawRepresentation: raw).publicKey.rawRepresentation)
            return .map([1: 1, 3: .int(rawValue), -1: 6, -2: .bytes(point)])
        }
    }

    /// ES256: DER ECDSA over SHA-256(message); EdDSA: raw 64-byte PureEdDSA signature.
    func sign(_ message: [UInt8], privateKey raw: [UInt8]) throws -> [UInt8] {
        switch self {
        case .es256:
            Array(try P256.Signing.PrivateKey(rawRepresentation: raw).signature(for: message).derRepresentation)
        case .edDSA:
            Array(try Curve25519.Signing.PrivateKey(rawRepresentation: raw).signature(for: message))
        }
    }
}
