import SSHSig

/// Constants that identify approval protocol v2 (docs/protocol.md section 2).
public enum ApprovalProtocol {
    /// The SSHSIG namespace of every approval. Never `git` or `file`: an approval can then never
    /// pass for a commit or file signature made with the same key, nor the reverse.
    public static let namespace = "ciauth-approval-v2@ciauth.dev"
    /// The only SSHSIG message hash algorithm approvals use.
    public static let hashAlgorithm = SSHSigHashAlgorithm.sha512
}
