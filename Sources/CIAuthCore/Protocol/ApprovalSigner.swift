import Crypto
import Foundation
import SSHSig

/// What a security key returns for one assertion, in the form the signer needs.
public struct AuthenticatorAssertion: Hashable, Sendable {
    /// The credential that signed (with several keys plugged in, the one that was touched).
    public var publicKey: SKPublicKey
    /// Authenticator data flags (0x01 UP, 0x04 UV).
    public var flags: UInt8
    public var counter: UInt32
    /// ECDSA: the DER `ECDSA-Sig-Value` the authenticator returns; Ed25519: the 64-byte signature.
    public var signature: [UInt8]

    public init(publicKey: SKPublicKey, flags: UInt8, counter: UInt32, signature: [UInt8]) {
        self.publicKey = publicKey
        self.flags = flags
        self.counter = counter
        self.signature = signature
    }
}

/// A signed approval in both of its forms (docs/protocol.md section 3).
public struct SignedApproval: Hashable, Sendable {
    public let statement: ApprovalStatement
    public let signature: SSHSignature

    public var transport: ApprovalTransport {
        ApprovalTransport(statementBytes: statement.encoded, signatureBlob: signature.sshWireEncoded)
    }

    /// The value of the CI variable.
    public var transportValue: String { transport.encoded }

    /// The statement followed by the armored signature, for printing and `--sign-only`.
    public var plainForm: String { statement.description + signature.armored }
}

/// Turns a statement into a signed approval with one assertion of a security key.
public struct ApprovalSigner: Sendable {
    /// Asks the security key to sign: receives the 32-byte clientDataHash, returns the assertion.
    public typealias Authenticator = @Sendable (_ clientDataHash: [UInt8]) async throws -> AuthenticatorAssertion

    private let authenticator: Authenticator

    public init(authenticator: @escaping Authenticator) {
        self.authenticator = authenticator
    }

    public func sign(_ statement: ApprovalStatement) async throws -> SignedApproval {
        let assertion = try await authenticator(Self.clientDataHash(for: statement))
        return try Self.assemble(statement, assertion)
    }

    /// The SSHSIG signed data for the statement (docs/protocol.md section 2).
    public static func signedData(for statement: ApprovalStatement) -> [UInt8] {
        var data = Array("SSHSIG".utf8)
        for field in [Array(ApprovalProtocol.namespace.utf8), [], Array("sha512".utf8), Array(SHA512.hash(data: statement.encoded))] {
            data += withUnsafeBytes(of: UInt32(field.count).bigEndian, Array.init) + field
        }
        return data
    }

    /// SHA-256 of the signed data: what the FIDO assertion is requested with.
    public static func clientDataHash(for statement: ApprovalStatement) -> [UInt8] {
        Array(SHA256.hash(data: signedData(for: statement)))
    }

    /// Builds the SSHSIG from an assertion, refusing one without the touch flag or one that does
    /// not verify under the credential's public key (wrong key, corrupted transfer).
    public static func assemble(_ statement: ApprovalStatement, _ assertion: AuthenticatorAssertion) throws -> SignedApproval {
        guard assertion.flags & SKSignature.userPresentFlag != 0 else {
            throw ApprovalRejection(.userPresenceMissing, "the security key signed without confirming a touch")
        }
        let signature: SSHSignature
        do {
            signature = try SSHSignature(
                publicKey: assertion.publicKey, namespace: ApprovalProtocol.namespace,
                hashAlgorithm: ApprovalProtocol.hashAlgorithm, signature: try skSignature(assertion))
        } catch {
            throw ApprovalRejection(.signatureMalformed, "the security key returned an unusable signature: \(error)")
        }
        let result = SSHSigVerifier().verify(
            signature: signature, message: statement.encoded, namespace: ApprovalProtocol.namespace)
        guard result.isValid else {
            throw ApprovalRejection(.signatureInvalid, "the security key's signature does not verify: \(result.failure.map(String.init(describing:)) ?? "")")
        }
        return SignedApproval(statement: statement, signature: signature)
    }

    private static func skSignature(_ assertion: AuthenticatorAssertion) throws -> SKSignature {
        switch assertion.publicKey.keyType {
        case .ecdsaP256:
            let raw = Array(try P256.Signing.ECDSASignature(derRepresentation: assertion.signature).rawRepresentation)
            return try SKSignature(ecdsaR: raw[0..<32], s: raw[32..<64], flags: assertion.flags, counter: assertion.counter)
        case .ed25519:
            return try SKSignature(ed25519: assertion.signature, flags: assertion.flags, counter: assertion.counter)
        }
    }
}
