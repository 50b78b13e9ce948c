/// What the verifier demands beyond a mathematically valid signature.
public struct VerificationPolicy: Hashable, Sendable {
    /// Require the user-verified flag (PIN or biometric) in the authenticator data.
    public var requireUserVerification: Bool
    /// Message hash algorithms accepted in the envelope.
    public var allowedHashAlgorithms: Set<SSHSigHashAlgorithm>

    public init(requireUserVerification: Bool = false, allowedHashAlgorithms: Set<SSHSigHashAlgorithm> = [.sha512, .sha256]) {
        self.requireUserVerification = requireUserVerification
        self.allowedHashAlgorithms = allowedHashAlgorithms
    }

    /// User presence required, user verification not, SHA-256 and SHA-512 accepted.
    public static let `default` = VerificationPolicy()
}
