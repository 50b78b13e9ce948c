/// The two OpenSSH FIDO security-key types (PROTOCOL.u2f). The same names identify the public key
/// and the signature.
public enum SKKeyType: String, CaseIterable, Hashable, Sendable {
    case ecdsaP256 = "sk-ecdsa-sha2-nistp256@openssh.com"
    case ed25519 = "sk-ssh-ed25519@openssh.com"

    /// Name `ssh-keygen -l` shows in parentheses.
    public var displayName: String {
        switch self {
        case .ecdsaP256: "ECDSA-SK"
        case .ed25519: "ED25519-SK"
        }
    }

    /// Maps a wire or text type name to an sk key type. Known SSH types that are not security keys get
    /// `notSecurityKey` so callers can say precisely why a key was refused.
    public init(name: String) throws(SSHSigError) {
        if let type = SKKeyType(rawValue: name) {
            self = type
        } else if SKKeyType.knownNonSecurityKeyNames.contains(name) {
            throw .notSecurityKey(name)
        } else {
            throw .unsupportedKeyType(name)
        }
    }

    /// Public key and signature algorithm names OpenSSH knows that are not plain sk keys.
    static let knownNonSecurityKeyNames: Set<String> = [
        "ssh-rsa", "rsa-sha2-256", "rsa-sha2-512", "ssh-dss",
        "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "ssh-ed25519", "ssh-ed448",
        "ssh-rsa-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com",
        "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com",
    ]

    /// Whether a text token names any SSH key type ciauth recognises (used to tell options apart from
    /// key types in key lines).
    static func isKnownTypeName(_ name: String) -> Bool {
        SKKeyType(rawValue: name) != nil || knownNonSecurityKeyNames.contains(name)
            || name.hasSuffix("@openssh.com")
    }
}
