/// Why `ciauth verify` refused to let the job continue, for failures found around the approval
/// protocol: the job's own environment, the checkout, the configuration, GitLab's availability,
/// and the player and group rules. Rejections of the approval itself stay `ApprovalRejection`s;
/// both are presented through `VerifyFailure` so the command has one type to report.
public struct VerifyFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable name for JSON output and audit records.
    public let reason: String
    /// The class that selects the exit status; nil for a configuration error (usage).
    public let failureClass: ApprovalFailureClass?
    public let explanation: String
    /// What the reader should do about it.
    public let remedy: String

    public init(_ reason: String, _ failureClass: ApprovalFailureClass?, _ explanation: String, remedy: String) {
        self.reason = reason
        self.failureClass = failureClass
        self.explanation = explanation
        self.remedy = remedy
    }

    /// A protocol rejection, with the remedy for its reason.
    public init(_ rejection: ApprovalRejection, context: VerifyRemedyContext) {
        self.init(
            rejection.reason.rawValue, rejection.failureClass, rejection.explanation,
            remedy: VerifyRemedy.text(for: rejection.reason, context: context))
    }

    public var description: String { "\(reason): \(explanation) — \(remedy)" }

    /// The job token was missing or GitLab could not answer.
    static func gitlab(_ what: String, _ error: any Error) -> VerifyFailure {
        VerifyFailure(
            "gitlab-unreachable", .gitlabUnreachable, "\(what) failed: \(error)",
            remedy: "check that the pinned server is reachable from the runner, then retry the job")
    }

    /// A job variable disagrees with GitLab's answer: someone overrode it.
    static func environmentTampered(_ variable: String, claims: String?, truth: String) -> VerifyFailure {
        let claim = claims.map(ApprovalStatement.quoted) ?? "unset"
        return VerifyFailure(
            "environment-tampered", .tampering,
            "the job variable \(variable) is \(claim) but GitLab says \(ApprovalStatement.quoted(truth)): a variable overrides it",
            remedy: "play the job again without a variable named \(variable); only the approval variable may be set")
    }

    static func configuration(_ explanation: String, remedy: String) -> VerifyFailure {
        VerifyFailure("configuration-invalid", nil, explanation, remedy: remedy)
    }
}
