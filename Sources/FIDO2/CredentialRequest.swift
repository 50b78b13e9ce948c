/// Parameters of `authenticatorMakeCredential`.
public struct CredentialRequest: Sendable {
    /// The relying-party id; OpenSSH calls it the application, e.g. `ssh:ciauth`.
    public var rpID: String
    public var userID: [UInt8]
    public var userName: String
    public var algorithm: Algorithm
    /// Store the credential on the key (discoverable) instead of only in the key handle.
    public var residentKey: Bool
    /// Require user verification (PIN or built-in) for this creation.
    public var userVerification: Bool
    /// Credential ids that must not be on the key already (re-enrolment guard).
    public var excludedCredentialIDs: [[UInt8]]
    /// SHA-256 of the client data; any 32 bytes for SSH-style credentials.
    public var clientDataHash: [UInt8]
    /// When set, the attestation certificate must chain to one of these roots.
    public var attestationRoots: AttestationRoots?
    /// How long to wait for the touch.
    public var timeout: Duration

    public init(
        rpID: String, userID: [UInt8], userName: String, algorithm: Algorithm = .es256,
        residentKey: Bool = false, userVerification: Bool = false, excludedCredentialIDs: [[UInt8]] = [],
        clientDataHash: [UInt8]? = nil, attestationRoots: AttestationRoots? = nil, timeout: Duration = .seconds(30)
    ) {
        self.rpID = rpID
        self.userID = userID
        self.userName = userName
        self.algorithm = algorithm
        self.residentKey = residentKey
        self.userVerification = userVerification
        self.excludedCredentialIDs = excludedCredentialIDs
        var generator = SystemRandomNumberGenerator()
        self.clientDataHash = clientDataHash ?? (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.attestationRoots = attestationRoots
        self.timeout = timeout
    }

    func validate() throws(FIDO2Error) {
        guard !rpID.isEmpty, !rpID.utf8.contains(0) else {
            throw FIDO2Error(.invalidRequest, "The application (rp id) must be a non-empty string.")
        }
        guard (1...64).contains(userID.count) else {
            throw FIDO2Error(.invalidRequest, "The user handle must be 1 to 64 bytes long.")
        }
        guard clientDataHash.count == 32 else {
            throw FIDO2Error(.invalidRequest, "The client data hash must be 32 bytes (SHA-256).")
        }
        guard !userName.utf8.contains(0) else {
            throw FIDO2Error(.invalidRequest, "The user name must not contain NUL bytes.")
        }
        guard timeout > .zero else { throw FIDO2Error(.invalidRequest, "The touch timeout must be positive.") }
    }
}
