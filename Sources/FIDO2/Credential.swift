/// A credential created on a key, with its attestation already checked.
public struct Credential: Sendable, Equatable {
    public let device: DeviceAddress
    public let rpID: String
    public let userID: [UInt8]
    public let algorithm: Algorithm
    /// ES256: 65-byte uncompressed point 0x04‖X‖Y. EdDSA: 32 bytes.
    public let publicKey: [UInt8]
    /// The credential id (OpenSSH's key handle).
    public let credentialID: [UInt8]
    public let flags: AuthenticatorFlags
    public let signCount: UInt32
    /// Raw authenticator data, and the CBOR byte string around it (what OpenSSH stores).
    public let authenticatorData: [UInt8]
    public let authenticatorDataCBOR: [UInt8]
    public let aaguid: [UInt8]
    public let clientDataHash: [UInt8]
    public let attestation: Attestation
}

/// The attestation statement of a new credential and what ciauth could verify about it.
public struct Attestation: Sendable, Equatable {
    /// `packed`, `fido-u2f`, `none`, …
    public let format: String
    /// The CBOR attStmt map as the key sent it.
    public let statementCBOR: [UInt8]
    public let signature: [UInt8]
    /// The attestation certificate (first x5c entry, DER); nil for self attestation.
    public let certificate: [UInt8]?
    public let trust: AttestationTrust
}

public enum AttestationTrust: Sendable, Equatable {
    /// Signed by the credential's own key (packed self attestation); verified.
    case selfAttested
    /// Signed by the attestation certificate's key; verified; no trusted roots were configured.
    case certificateNotChecked
    /// Signed by the attestation certificate's key, which chains to a configured root.
    case certificateTrusted
    /// Format `none`: the key proved nothing about itself.
    case unattested
}
