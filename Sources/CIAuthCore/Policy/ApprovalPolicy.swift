/// What the verifier demands beyond a genuine signature for this job (docs/protocol.md,
/// "Verification", steps 9–11). Defaults are the documented defaults of `ciauth verify`.
public struct ApprovalPolicy: Hashable, Sendable {
    /// Demand the UV flag (PIN or biometric) in the signature, not only UP (touch).
    public var requireUserVerification: Bool
    /// Usernames allowed to approve; nil allows any approver with a registered key.
    public var allowedApprovers: Set<String>?
    /// Whether the person who started the pipeline may approve its jobs.
    public var allowSelfApproval: Bool
    /// Demand that the approver is the person who played the job (no bot or colleague playing
    /// someone else's approval).
    public var approverMustBePlayer: Bool
    /// Refuse keys registered more recently than this many seconds before now.
    public var minimumKeyAge: Int64
    /// Refuse statements issued more than this many seconds before now, even if not expired.
    public var maximumAge: Int64
    /// Tolerated clock difference, in seconds, for an issued-at in the future.
    public var clockSkew: Int64

    public init(
        requireUserVerification: Bool = false, allowedApprovers: Set<String>? = nil,
        allowSelfApproval: Bool = true, approverMustBePlayer: Bool = false, minimumKeyAge: Int64 = 0, maximumAge: Int64 = 24 * 3600,
        clockSkew: Int64 = 120
    ) {
        self.requireUserVerification = requireUserVerification
        self.allowedApprovers = allowedApprovers
        self.allowSelfApproval = allowSelfApproval
        self.approverMustBePlayer = approverMustBePlayer
        self.minimumKeyAge = minimumKeyAge
        self.maximumAge = maximumAge
        self.clockSkew = clockSkew
    }

    public static let `default` = ApprovalPolicy()
}
