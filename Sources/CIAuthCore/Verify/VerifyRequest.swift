import Foundation
import GitLab
import Logging

/// Everything `ciauth verify` was told: its flags as typed (nil or empty when absent), the job's
/// environment, the directory it runs in, and how to reach GitLab. The workflow merges the flags
/// with `.ciauth.yml` (flags win) into `VerifySettings`.
public struct VerifyRequest: Sendable {
    public struct Flags: Equatable, Sendable {
        public var server: String?
        /// A project path (`group/project`) or a numeric project id.
        public var project: String?
        public var jobName: String?
        public var environment: String?
        public var approvalVariable: String?
        /// Policy file relative to the project directory (default `.ciauth.yml`).
        public var policyFile: String?
        public var allowedSignersFile: String?
        public var approvers: [String] = []
        /// `GROUP` or `GROUP:LEVEL` (guest, reporter, developer, maintainer, owner).
        public var approverGroups: [String] = []
        /// The CI variable holding a read-only token for the reads a job token may not make
        /// (group members, the pipeline's creator) and for the approver's user and keys.
        public var readTokenVariable: String?
        public var approverMustBePlayer: Bool?
        public var requireUserVerification: Bool?
        public var maximumAge: String?
        public var minimumKeyAge: String?
        public var allowSelfApproval: Bool?
        /// nil: `ciauth-audit.json`, written only inside a CI job (never into a person's directory).
        public var auditFile: String?
        public var dotenvFile: String?
        /// The job deliberately runs without a checkout (`GIT_STRATEGY: none`): no commit or
        /// repository policy file to check. Without it, a missing work tree fails verification.
        public var noCheckout = false

        public init() {}
    }

    public var flags: Flags
    public var environment: [String: String]
    public var currentDirectory: URL
    /// Proxy and timeouts; the CA file comes only from a flag (a variable could name a file of
    /// the attacker's choosing).
    public var clientOptions: GitLabClientOptions
    public var logger: Logger
    public var now: @Sendable () -> Date

    public init(
        flags: Flags, environment: [String: String], currentDirectory: URL, clientOptions: GitLabClientOptions,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.flags = flags
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.clientOptions = clientOptions
        self.logger = logger
        self.now = now
    }
}
