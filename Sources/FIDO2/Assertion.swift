/// A signature made by a key, already verified against the enrolled public key with libfido2.
public struct Assertion: Sendable, Equatable {
    public let device: DeviceAddress
    /// The enrolled credential that signed.
    public let credential: CredentialReference
    /// Raw authenticator data (rpIdHash ‖ flags ‖ counter ‖ …) and its CBOR byte-string form.
    public let authenticatorData: [UInt8]
    public let authenticatorDataCBOR: [UInt8]
    public let flags: AuthenticatorFlags
    public let signCount: UInt32
    public let signature: AssertionSignature
}

/// The signature in the shape OpenSSH encodes it.
public enum AssertionSignature: Sendable, Equatable {
    /// ES256: (r, s) from the key's DER signature; `der` is what the key sent.
    case es256(ECDSASignature, der: [UInt8])
    /// EdDSA: the 64-byte Ed25519 signature.
    case eddsa([UInt8])
}
