import SSHSig

/// The outcome of verifying an approval: accepted with the facts an audit record needs, or
/// rejected with a named reason.
public enum ApprovalVerdict: Hashable, Sendable {
    case accepted(AcceptedApproval)
    case rejected(ApprovalRejection)

    public var rejection: ApprovalRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }

    public var accepted: AcceptedApproval? {
        if case .accepted(let approval) = self { return approval }
        return nil
    }
}

/// A verified approval.
public struct AcceptedApproval: Hashable, Sendable {
    public let statement: ApprovalStatement
    /// The verified SSHSIG (its wire form is `signature.sshWireEncoded`).
    public let signature: SSHSignature
    /// The registry entry of the signing key.
    public let key: KeyRegistry.Entry
    /// The job this verification was for; nil when verified without job facts (audit).
    public let job: ApprovalStatement.Job?

    public var approver: String { statement.approver }
    public var keyFingerprint: String { signature.publicKey.fingerprint }
    public var keyType: SKKeyType { signature.publicKey.keyType }
    public var gitlabKeyID: Int? { key.gitlabKeyID }
    public var flags: UInt8 { signature.signature.flags }
    public var counter: UInt32 { signature.signature.counter }
    public var isUserVerified: Bool { signature.signature.isUserVerified }
}
