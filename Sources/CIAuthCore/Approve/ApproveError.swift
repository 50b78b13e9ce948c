/// Why `ciauth approve` stopped before or while playing; each message says what to do.
public struct ApproveError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// An option value is unusable (ttl, variable name, target).
        case invalidOption
        /// The project cannot be determined, or a URL points at another server.
        case projectUnknown
        /// A named job is not waiting to be played.
        case notManual
        /// Nothing to approve (no manual job, no job matching `--job`).
        case noJobs
        /// A job's data cannot go into a v1 statement (e.g. a job name with non-ASCII characters).
        case statementInvalid
        /// GitLab cannot tell a job's environment and it was not stated (`--environment`).
        case environmentUnknown
        /// `--environment` disagrees with the deployment GitLab shows.
        case environmentMismatch
        /// No enrolled credential to sign with.
        case noCredentials
        /// Confirmation needed but there is no terminal to ask on.
        case confirmationUnavailable
        /// The person answered no.
        case declined
        /// At least one job was not played (see the per-job results).
        case playFailed
        /// Checked before the touch: the approval could not succeed (token, key, variables,
        /// policy); `reason` names why.
        case cannotSucceed
    }

    public let code: Code
    public let message: String
    /// The named reason (kebab-case, stable: it appears in `--json`); the code's name when no
    /// more specific one applies.
    public let reason: String

    public init(_ code: Code, _ message: String, reason: String? = nil) {
        self.code = code
        self.message = message
        self.reason = reason ?? Self.kebab(code.rawValue)
    }

    /// A refusal before the touch: `reason`, and what to do in `message`.
    public static func refused(_ reason: String, _ message: String) -> ApproveError {
        ApproveError(.cannotSucceed, message, reason: reason)
    }

    /// `environmentUnknown` → `environment-unknown`.
    static func kebab(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase { text += "-" + character.lowercased() } else { text.append(character) }
        }
    }

    public var description: String { message }
}
