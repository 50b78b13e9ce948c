/// What the verifier demands beyond a genuine signature for this job (docs/protocol.md,
/// "Verification", steps 9–11). Defaults are the documented defaults of `ciauth verify`.
public struct ApprovalPolicy: Hashable, Sendable {
    /// Demand the UV flag (PIN or biometric) in the signature, not only UP (touch).
    public var requireUserVerification: Bool
    /// Approvers allowed to approve (`ApproverList` entries: `alice` or `alice#42`); nil allows
    /// any approver with a registered key.
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

/// Entries of an approver list: `USERNAME`, or `USERNAME#ID` to pin the person by GitLab's
/// immutable user id (a username freed by a rename can be taken by someone else).
public enum ApproverList {
    /// Whether the approver `username` with user id `id` is listed.
    public static func allows(_ entries: Set<String>, _ username: String, id: Int) -> Bool {
        entries.contains(username) || entries.contains("\(username)#\(id)")
    }

    /// Whether `entry` is a username, optionally followed by `#` and a user id.
    public static func isValid(_ entry: String) -> Bool {
        let parts = entry.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard (try? ApprovalFieldRules.username(String(parts[0]))) != nil else { return false }
        guard parts.count == 2 else { return true }
        return (try? ApprovalFieldRules.number(parts[1], field: "user id")) != nil
    }
}
