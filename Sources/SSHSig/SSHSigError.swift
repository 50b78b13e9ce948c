import Foundation

/// Every way SSHSig input can be malformed. One error type for the whole module; cases compare by
/// code (and their small context), and each has a message written for people.
///
/// A signature that is well formed but does not verify is *not* an error: see `VerificationResult`.
public enum SSHSigError: Error, Hashable, Sendable {
    // Wire encoding (RFC 4251 section 5).
    case truncated
    case trailingBytes(count: Int)
    case lengthTooLarge(declared: UInt32, limit: Int)
    case nonCanonicalMPInt
    case negativeMPInt
    case invalidText(field: String)

    // Keys and signatures.
    case unsupportedKeyType(String)
    case notSecurityKey(String)
    case keyTypeMismatch(expected: String, found: String)
    case unsupportedCurve(String)
    case invalidPoint
    case invalidKeyLength(expected: Int, found: Int)
    case weakEd25519Key
    case invalidSignatureLength(expected: Int, found: Int)
    case signatureScalarOutOfRange
    case invalidDERSignature
    case nonCanonicalEd25519Signature
    case signatureKeyMismatch(key: String, signature: String)

    // SSHSIG envelope and armor (PROTOCOL.sshsig).
    case badMagic
    case unsupportedVersion(UInt32)
    case emptyNamespace
    case nonEmptyReserved
    case unsupportedHashAlgorithm(String)
    case badBase64
    case missingArmorHeader
    case missingArmorFooter
    case dataAfterArmor

    // Text formats: authorized_keys-style key lines and allowed_signers.
    case malformedKeyLine
    case optionsNotAllowed(String)
    case missingPrincipals
    case unterminatedQuote
    case unknownOption(String)
    case duplicateOption(String)
    case emptyOptionValue(String)
    case invalidTimestamp(String)
    case invalidValidityInterval
    case certAuthorityUnsupported
    indirect case inAllowedSignersLine(Int, SSHSigError)

    // openssh-key-v1 private key files (PROTOCOL.key).
    case badPrivateKeyMagic
    case encryptedPrivateKey(cipher: String)
    case unsupportedKDF(String)
    case unsupportedKeyCount(UInt32)
    case checkIntMismatch
    case badPadding
    case privateKeyMismatch
}

extension SSHSigError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated: "input ends before the field it declares"
        case .trailingBytes(let count): "\(count) unexpected byte(s) after the end of the structure"
        case .lengthTooLarge(let declared, let limit): "length prefix \(declared) exceeds the limit of \(limit) bytes"
        case .nonCanonicalMPInt: "integer is not minimally encoded"
        case .negativeMPInt: "integer is negative where only positive values are allowed"
        case .invalidText(let field): "\(field) is not printable UTF-8 text"
        case .unsupportedKeyType(let name): "unsupported key type \"\(name)\""
        case .notSecurityKey(let name): "key type \"\(name)\" is not a FIDO security key (sk-*) type"
        case .keyTypeMismatch(let expected, let found): "key type \"\(found)\" where \"\(expected)\" was declared"
        case .unsupportedCurve(let name): "unsupported curve \"\(name)\""
        case .invalidPoint: "public key is not a valid point on the curve"
        case .invalidKeyLength(let expected, let found): "public key has \(found) bytes, expected \(expected)"
        case .weakEd25519Key: "Ed25519 public key is of small order or not canonically encoded"
        case .invalidSignatureLength(let expected, let found): "signature has \(found) bytes, expected \(expected)"
        case .signatureScalarOutOfRange: "ECDSA signature value r or s is zero or not below the group order"
        case .invalidDERSignature: "ECDSA signature is not a DER-encoded (r, s) pair"
        case .nonCanonicalEd25519Signature: "Ed25519 signature scalar S is not below the group order"
        case .signatureKeyMismatch(let key, let signature): "signature type \"\(signature)\" does not match key type \"\(key)\""
        case .badMagic: "missing SSHSIG magic preamble"
        case .unsupportedVersion(let version): "unsupported SSHSIG version \(version)"
        case .emptyNamespace: "namespace is empty"
        case .nonEmptyReserved: "reserved field is not empty"
        case .unsupportedHashAlgorithm(let name): "unsupported hash algorithm \"\(name)\""
        case .badBase64: "invalid base64"
        case .missingArmorHeader: "text does not start with the expected \"-----BEGIN ...-----\" line"
        case .missingArmorFooter: "missing the \"-----END ...-----\" line"
        case .dataAfterArmor: "unexpected text after the armored block"
        case .malformedKeyLine: "key line must be \"<type> <base64> [comment]\""
        case .optionsNotAllowed(let options): "key options are not allowed here (\"\(options)\")"
        case .missingPrincipals: "allowed_signers line has no principals"
        case .unterminatedQuote: "unterminated double quote"
        case .unknownOption(let name): "unknown option \"\(name)\""
        case .duplicateOption(let name): "option \"\(name)\" given twice"
        case .emptyOptionValue(let name): "option \"\(name)\" needs a non-empty quoted value"
        case .invalidTimestamp(let text): "invalid time \"\(text)\" (expected YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z])"
        case .invalidValidityInterval: "valid-before is not after valid-after"
        case .certAuthorityUnsupported: "cert-authority lines are not supported (certificates are not accepted)"
        case .inAllowedSignersLine(let line, let error): "allowed_signers line \(line): \(error)"
        case .badPrivateKeyMagic: "not an openssh-key-v1 private key"
        case .unsupportedKDF(let name): "unsupported key derivation \"\(name)\" for an unencrypted key"
        case .encryptedPrivateKey(let cipher): "private key file is passphrase-protected (cipher \(cipher)); only unencrypted sk key files are supported"
        case .unsupportedKeyCount(let count): "private key file holds \(count) keys, expected 1"
        case .checkIntMismatch: "private key check integers differ"
        case .badPadding: "private key section padding is invalid"
        case .privateKeyMismatch: "private section does not match the public key"
        }
    }
}

extension SSHSigError: LocalizedError {
    public var errorDescription: String? { description }
}
