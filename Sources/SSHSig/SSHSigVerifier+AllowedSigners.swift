import Foundation

extension SSHSigVerifier {
    /// `ssh-keygen -Y verify -f allowed_signers -I principal -n namespace`, strictly: the signature
    /// must verify under `policy`, and an allowed_signers line must list its key for `principal`
    /// and `namespace` at `date`.
    public func verify(signature: SSHSignature, message: some DataProtocol, namespace: String, principal: String,
                       allowedSigners: AllowedSigners, at date: Date, localTimeZone: TimeZone = .current,
                       policy: VerificationPolicy = .default) -> VerificationResult {
        let result = verify(signature: signature, message: message, namespace: namespace, policy: policy)
        guard result.isValid else { return result }
        switch allowedSigners.authorize(key: signature.publicKey, principal: principal, namespace: namespace, at: date, localTimeZone: localTimeZone) {
        case .success: return result
        case .failure(let denial): return .invalid(.signerNotAllowed(denial))
        }
    }
}
