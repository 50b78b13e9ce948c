/// Signature algorithms ciauth creates credentials with (COSE identifiers, RFC 9053).
public enum Algorithm: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case es256 = -7
    case eddsa = -8

    public var coseIdentifier: Int32 { rawValue }

    /// Length of the public key in `Credential.publicKey`.
    public var publicKeyLength: Int {
        switch self {
        case .es256: 65
        case .eddsa: 32
        }
    }

    public var description: String {
        switch self {
        case .es256: "ES256"
        case .eddsa: "EdDSA"
        }
    }
}

/// The flags byte of authenticator data (WebAuthn §6.1).
public struct AuthenticatorFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let userPresent = AuthenticatorFlags(rawValue: 0x01)
    public static let userVerified = AuthenticatorFlags(rawValue: 0x04)
    public static let attestedCredentialData = AuthenticatorFlags(rawValue: 0x40)
    public static let extensionData = AuthenticatorFlags(rawValue: 0x80)
}
