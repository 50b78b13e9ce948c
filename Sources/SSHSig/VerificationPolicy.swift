/// What the verifier demands beyond a mathematically valid signature.
public struct VerificationPolicy: Hashable, Sendable {
    /// Require the user-verified flag (PIN or biometric) in the authenticator data.
    public var requireUserVerification: Bool
    /// Message hash algorithms accepted in the envelope. A list, not a set: a set's type would be
    /// built at run time on every start, with a scan of all the binary's conformance records.
    public var allowedHashAlgorithms: [SSHSigHashAlgorithm]

    public init(requireUserVerification: Bool = false, allowedHashAlgorithms: [SSHSigHashAlgorithm] = [.sha512, .sha256]) {
        self.requireUserVerification = requireUserVerification
        self.allowedHashAlgorithms = allowedHashAlgorithms
    }

    /// User presence required, user verification not, SHA-256 and SHA-512 accepted.
    public static let `default` = VerificationPolicy()
}
