/// A credential the caller expects the key to hold, with the public key used to check the result.
public struct CredentialReference: Sendable, Equatable {
    public let credentialID: [UInt8]
    public let algorithm: Algorithm
    /// ES256: 65-byte 0x04‖X‖Y (64-byte X‖Y accepted). EdDSA: 32 bytes.
    public let publicKey: [UInt8]
    /// How the user knows this key (fingerprint, comment); used in "wrong key" messages.
    public let label: String?

    public init(credentialID: [UInt8], algorithm: Algorithm, publicKey: [UInt8], label: String? = nil) {
        self.credentialID = credentialID
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.label = label
    }
}

/// Parameters of `authenticatorGetAssertion`.
public struct AssertionRequest: Sendable {
    /// The relying-party id (OpenSSH's application), e.g. `ssh:ciauth`.
    public var rpID: String
    /// SHA-256 of the data to sign, computed by the caller.
    public var clientDataHash: [UInt8]
    /// The acceptable credentials; never empty (ciauth always knows which keys are enrolled).
    public var allowedCredentials: [CredentialReference]
    public var userPresence: Bool
    public var userVerification: Bool
    public var timeout: Duration

    public init(
        rpID: String, clientDataHash: [UInt8], allowedCredentials: [CredentialReference],
        userPresence: Bool = true, userVerification: Bool = false, timeout: Duration = .seconds(30)
    ) {
        self.rpID = rpID
        self.clientDataHash = clientDataHash
        self.allowedCredentials = allowedCredentials
        self.userPresence = userPresence
        self.userVerification = userVerification
        self.timeout = timeout
    }

    func validate() throws(FIDO2Error) {
        guard !rpID.isEmpty, !rpID.utf8.contains(0) else {
            throw FIDO2Error(.invalidRequest, "The application (rp id) must be a non-empty string.")
        }
        guard clientDataHash.count == 32 else {
            throw FIDO2Error(.invalidRequest, "The client data hash must be 32 bytes (SHA-256).")
        }
        guard !allowedCredentials.isEmpty else {
            throw FIDO2Error(.invalidRequest, "An assertion needs at least one enrolled credential to ask for.")
        }
        for credential in allowedCredentials where credential.credentialID.isEmpty {
            throw FIDO2Error(.invalidRequest, "An enrolled credential has an empty credential id.")
        }
        guard timeout > .zero else { throw FIDO2Error(.invalidRequest, "The touch timeout must be positive.") }
    }

    /// Describes the enrolled credentials for "wrong key" messages.
    var enrolledDescription: String? {
        let labels = allowedCredentials.compactMap(\.label)
        return labels.isEmpty ? nil : labels.joined(separator: ", ")
    }
}
