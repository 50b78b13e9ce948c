import Crypto

/// authenticatorData (WebAuthn §6.1): rpIdHash(32) | flags(1) | signCount(4, big-endian)
/// | attestedCredentialData (makeCredential only).
struct AuthenticatorData {
    static let flagUserPresent: UInt8 = 0x01
    static let flagUserVerified: UInt8 = 0x04
    static let flagAttestedCredentialData: UInt8 = 0x40
    static let flagExtensionData: UInt8 = 0x80

    var rpIDHash: [UInt8]
    var flags: UInt8
    var signCount: UInt32
    /// aaguid(16) | credentialIdLength(2) | credentialId | COSE public key.
    var attestedCredential: (aaguid: [UInt8], credentialID: [UInt8], publicKey: CBORValue)?
    /// Authenticator extension outputs (a CBOR map), e.g. credProtect.
    var extensions: CBORValue?

    var bytes: [UInt8] {
        var allFlags = attestedCredential == nil ? flags : flags | Self.flagAttestedCredentialData
        if extensions != nil { allFlags |= Self.flagExtensionData }
        var out = rpIDHash + [allFlags]
        out += [UInt8(signCount >> 24), UInt8(truncatingIfNeeded: signCount >> 16), UInt8(truncatingIfNeeded: signCount >> 8), UInt8(truncatingIfNeeded: signCount)]
        if let credential = attestedCredential {
            out += credential.aaguid
            out += [UInt8(credential.credentialID.count >> 8), UInt8(truncatingIfNeeded: credential.credentialID.count)]
            out += credential.credentialID
            out += CBOREncoder.encode(credential.publicKey)
        }
        if let extensions { out += CBOREncoder.encode(extensions) }
        return out
    }

    static func rpIDHash(_ rpID: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(rpID.utf8)))
    }
}
