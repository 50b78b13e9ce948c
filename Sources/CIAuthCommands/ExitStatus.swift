import ArgumentParser

/// Every exit status the tool uses, in one place; `Man/ciauth.1` lists the same table.
///
/// Verification failures get one status per class so a pipeline can tell an attack from an outage.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    /// An operation failed for a reason with no class of its own (for example a revocation in `keys prune`).
    case failure = 1
    /// Bad command-line usage: an unknown option or subcommand, a missing argument, a value the
    /// option does not take, a question that needs a terminal or `--yes`. What the command line
    /// says is wrong, whoever wrote it.
    case usage = 64
    /// `verify`: the job carries no approval.
    case noApproval = 10
    /// `verify`: the approval is not well formed (encoding, statement, signature envelope).
    case malformedApproval = 11
    /// `verify`: the signature does not verify, or is not a security-key signature in the approval namespace.
    case badSignature = 12
    /// `verify`: the signing key is not a registered, unexpired sk signing key of the approver.
    case unknownKey = 13
    /// `verify`: the approval is valid but the policy refuses it (approver, age, self-approval).
    case policy = 14
    /// `verify`: the job's environment or the statement disagrees with GitLab's truth.
    case tampering = 15
    /// GitLab could not be reached or answered with an error.
    case gitlab = 16
    /// `gate`: the ID token is missing, malformed, not signed by the pinned server, or not for this gate now.
    case idTokenRefused = 17
    /// `gate`: the job already passed this gate as often as its policy allows.
    case alreadyPassed = 18
    /// The configuration is missing or broken, for every command alike: no server or token, a
    /// configuration file that cannot be parsed or is readable by others, an invalid server URL,
    /// CA file or proxy; verify's `configuration` class (not in a job, a missing or outdated pin,
    /// an invalid policy file) and a gate's `configuration-invalid` (its policy file).
    case configuration = 78
    /// A write GitLab may or may not have done: a play (`approve`, result `unknown`) or a key
    /// deletion (`keys revoke`/`prune`, outcome `unknown`) whose answer was lost and whose effect
    /// could not be read back. Check the job or profile before doing it again.
    case outcomeUnknown = 19
    /// The security key failed, was not found, timed out, or the PIN was refused.
    case device = 20
    /// A command that needs a security key runs where libfido2 (Debian: libfido2-1) is not installed.
    /// The commands that only verify never need it.
    case libraryMissing = 69
    /// The user interrupted the command (Ctrl-C). Answering "no" to a question is status 1.
    case cancelled = 130

    public var exitCode: ExitCode { ExitCode(rawValue) }

    /// One line per status for `--help` and the man page.
    public var summary: String {
        switch self {
        case .success: "success"
        case .failure: "an operation failed (see the message)"
        case .usage: "invalid command-line usage"
        case .noApproval: "verify: no approval in the job"
        case .malformedApproval: "verify: approval malformed"
        case .badSignature: "verify: signature invalid"
        case .unknownKey: "verify: key not registered to the approver, or no such approver"
        case .policy: "verify: refused by policy"
        case .tampering: "verify: job environment or statement disagrees with GitLab"
        case .gitlab: "GitLab unreachable or returned an error"
        case .idTokenRefused: "gate: ID token refused"
        case .alreadyPassed: "gate: job already passed"
        case .outcomeUnknown: "approve, keys: whether GitLab played a job or deleted a key is unknown; check before repeating it"
        case .configuration: "configuration missing or broken (server, token, config file, CA, proxy; verify: not in a job, pins, policy file; gate: its policy)"
        case .device: "security key error (not found, timeout, PIN)"
        case .libraryMissing: "libfido2 not installed (install libfido2-1; only security-key commands need it)"
        case .cancelled: "cancelled by the user"
        }
    }
}
