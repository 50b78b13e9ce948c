/// The outcome of verifying a well-formed signature.
public enum VerificationResult: Hashable, Sendable {
    case valid(VerifiedSignature)
    case invalid(VerificationFailure)

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    public var failure: VerificationFailure? {
        if case .invalid(let failure) = self { return failure }
        return nil
    }
}

/// Facts about a signature that verified, for audit records.
public struct VerifiedSignature: Hashable, Sendable {
    public let publicKey: SKPublicKey
    public let namespace: String
    public let hashAlgorithm: SSHSigHashAlgorithm
    public let flags: UInt8
    public let counter: UInt32

    public var fingerprint: String { publicKey.fingerprint }
    public var isUserVerified: Bool { flags & SKSignature.userVerifiedFlag != 0 }
}

/// Why a well-formed signature was not accepted.
public enum VerificationFailure: Hashable, Sendable, CustomStringConvertible {
    case namespaceMismatch(expected: String, found: String)
    case hashAlgorithmNotAllowed(SSHSigHashAlgorithm)
    case signatureMismatch
    case userPresenceMissing
    case userVerificationMissing
    case signerNotAllowed(AllowedSigners.Denial)

    public var description: String {
        switch self {
        case .namespaceMismatch(let expected, let found):
            "signature namespace is \"\(found)\", expected \"\(expected)\""
        case .hashAlgorithmNotAllowed(let algorithm):
            "hash algorithm \(algorithm.rawValue) is not allowed by policy"
        case .signatureMismatch:
            "signature does not match the message and key"
        case .userPresenceMissing:
            "the security key did not confirm user presence (no touch)"
        case .userVerificationMissing:
            "the security key did not verify the user (no PIN or biometric) but policy requires it"
        case .signerNotAllowed(let denial):
            "signer not allowed: \(denial)"
        }
    }
}
