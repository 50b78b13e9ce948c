import Foundation

/// What `ciauth approve` was asked to do.
public struct ApproveRequest: Sendable {
    public enum Output: Sendable, Equatable {
        /// Play the job(s) with the approval variable.
        case play
        /// Print the transport value(s) instead of playing.
        case signOnlyTransport
        /// Print statement + armored signature instead of playing.
        case signOnlyPlain
    }

    /// Job id, job URL, pipeline URL, or pipeline id (with `allManual` or `jobNames`).
    public var target: String
    /// `--project`: numeric id or full path; nil to use a URL's project or the git remote.
    public var project: String?
    public var allManual: Bool
    /// `--job` names or glob patterns within the pipeline.
    public var jobNames: [String]
    public var variable: String
    public var reason: String?
    public var validitySeconds: Int64
    public var assumeYes: Bool
    public var output: Output
    /// Only credentials of this application are offered; nil = the enrolled credentials' one.
    public var application: String?
    public var touchTimeout: Duration
    /// How many plays run at once.
    public var concurrency: Int
    /// Where to look for the git remote when no project is named.
    public var workingDirectory: String
    /// `--environment`: `none` or the environment of jobs GitLab shows no deployment for
    /// (it cannot tell "no environment" from an action other than start).
    public var environment: String?

    public static let defaultVariable = "CIAUTH_APPROVAL"
    public static let defaultValiditySeconds: Int64 = 3600
    /// No approval is valid longer than this, whatever `--max-ttl` says.
    public static let hardMaximumValiditySeconds: Int64 = 86_400

    public init(
        target: String, project: String? = nil, allManual: Bool = false, jobNames: [String] = [],
        variable: String = ApproveRequest.defaultVariable, reason: String? = nil,
        validitySeconds: Int64 = ApproveRequest.defaultValiditySeconds, assumeYes: Bool = false, output: Output = .play,
        application: String? = nil, touchTimeout: Duration = .seconds(30), concurrency: Int = 8,
        workingDirectory: String = FileManager.default.currentDirectoryPath, environment: String? = nil
    ) {
        self.environment = environment
        self.target = target
        self.project = project
        self.allManual = allManual
        self.jobNames = jobNames
        self.variable = variable
        self.reason = reason
        self.validitySeconds = validitySeconds
        self.assumeYes = assumeYes
        self.output = output
        self.application = application
        self.touchTimeout = touchTimeout
        self.concurrency = concurrency
        self.workingDirectory = workingDirectory
    }

    /// Checks that need no I/O: validity bounds and the variable name.
    public static func validate(validitySeconds: Int64, maximumSeconds: Int64, variable: String) throws(ApproveError) {
        guard maximumSeconds > 0, maximumSeconds <= hardMaximumValiditySeconds else {
            throw ApproveError(.invalidOption, "--max-ttl must be between 1s and \(DurationText.describe(hardMaximumValiditySeconds))")
        }
        guard validitySeconds > 0, validitySeconds <= maximumSeconds else {
            throw ApproveError(
                .invalidOption,
                "--ttl \(DurationText.describe(validitySeconds)) exceeds the maximum of \(DurationText.describe(maximumSeconds)) (raise it with --max-ttl, at most \(DurationText.describe(hardMaximumValiditySeconds)))")
        }
        let allowed = variable.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        }
        guard !variable.isEmpty, variable.utf8.count <= 255, allowed else {
            throw ApproveError(.invalidOption, "--variable must be letters, digits and _ only (GitLab's rule), got \"\(variable)\"")
        }
    }
}
