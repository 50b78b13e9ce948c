import ArgumentParser
import CIAuthCore

/// `ciauth verify`: inside the job, proves an enrolled person approved exactly this job.
/// Human lines (one per fact checked, then the statement) go to stdout, the job log; with
/// `--json` stdout carries one JSON object instead. Failures go to stderr.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Inside a CI job: verify that an enrolled person approved this job (fails closed).",
        discussion: """
            Pin the server, project and job in the pipeline definition (flags with literal values or \
            .ciauth.yml); job variables cannot change those. Flags override .ciauth.yml. Exit status \
            0 when approved; 10 no approval, 11 malformed, 12 bad signature, 13 unknown key, \
            14 refused by policy, 15 tampering, 16 GitLab unreachable, 78 configuration error (not in a job, pins, policy file), 64 invalid command-line usage.
            """)

    @Option(help: ArgumentHelp("The GitLab server this job must run on (required; a literal value).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("Pin the project: its path (group/project) or numeric id (required).", valueName: "project"))
    var project: String?

    @Option(help: ArgumentHelp("Pin the name of the job being gated (this or --environment is required).", valueName: "name"))
    var jobName: String?

    @Option(help: ArgumentHelp("Pin the job's deployment environment; the approval must name it (this or --job-name is required).", valueName: "name"))
    var environment: String?

    @Option(name: .customLong("variable"), help: ArgumentHelp("The CI variable carrying the approval (default CIAUTH_APPROVAL).", valueName: "name"))
    var approvalVariable: String?

    @Option(help: ArgumentHelp("Policy file in the repository, read as committed at the pipeline's commit (default .ciauth.yml); an absolute path is a file of the job's image.", valueName: "path"), completion: .file())
    var policyFile: String?

    @Option(help: ArgumentHelp("Use this OpenSSH allowed_signers file instead of GitLab profiles (relative: as committed at the pipeline's commit; absolute: a file of the job's image).", valueName: "path"), completion: .file())
    var allowedSigners: String?

    @Option(name: .customLong("approver"), help: ArgumentHelp("Allow this username to approve; USERNAME#ID also pins the GitLab user id (repeatable).", valueName: "username[#id]"))
    var approvers: [String] = []

    @Option(name: .customLong("approver-group"), help: ArgumentHelp("Allow members of GROUP with at least LEVEL (default developer); repeatable.", valueName: "group[:level]"))
    var approverGroups: [String] = []

    @Option(help: ArgumentHelp(
        "The CI variable holding a read_api token, used only to read the approver's account and keys, group members and the pipeline's creator.",
        valueName: "name"))
    var readTokenVariable: String?

    /// The former name of --read-token-variable, still accepted.
    @Option(help: .hidden)
    var membersTokenVariable: String?

    // Boolean settings are --x/--no-x pairs; unset leaves the policy file's value or the default.
    // The former `--approver-must-be-player false` spelling is still read (LegacyBoolSpelling).
    @Flag(inversion: .prefixedNo, help: "Require the approver to be the job's player (default on; --no-approver-must-be-player for bots playing a --sign-only approval).")
    var approverMustBePlayer: Bool?

    @Flag(inversion: .prefixedNo, help: "Require PIN or biometric verification in the signature (default off).")
    var requireUv: Bool?

    @Option(help: ArgumentHelp("Refuse approvals issued longer ago than this (default 24h).", valueName: "duration"))
    var maxAge: String?

    @Option(help: ArgumentHelp("Refuse keys registered more recently than this (default 0s).", valueName: "duration"))
    var minKeyAge: String?

    @Flag(inversion: .prefixedNo, help: "Allow the pipeline's creator to approve (default on; --no-allow-self-approval refuses it).")
    var allowSelfApproval: Bool?

    @Option(help: ArgumentHelp(
        "Write the audit record (JSON) here, accepted or not (default ciauth-audit.json, inside a CI job only).", valueName: "path"),
        completion: .file())
    var auditFile: String?

    @Option(help: ArgumentHelp("On success, write CIAUTH_* facts for later jobs as a dotenv file.", valueName: "path"), completion: .file())
    var dotenv: String?

    @Option(help: ArgumentHelp("Extra CA certificates (PEM) to trust for GitLab's TLS, an absolute path of a file in the job's image (never SSL_CERT_FILE).", valueName: "path"), completion: .file())
    var caFile: String?

    @Option(help: ArgumentHelp(
        "Reach GitLab through this HTTP CONNECT proxy, http://[user:password@]host[:port] (never HTTPS_PROXY); empty for none.",
        valueName: "url"))
    var proxy: String?

    @Flag(help: "The job runs without a checkout (GIT_STRATEGY: none): skip the commit check; the policy must come from flags. Without this flag a missing work tree fails.")
    var noCheckout = false

    @OptionGroup var output: OutputOptions

    /// The settings as plain values, as the direct reader also builds them.
    var invocation: VerifyInvocation {
        var flags = VerifyRequest.Flags()
        flags.server = server
        flags.project = project
        flags.jobName = jobName
        flags.environment = environment
        flags.approvalVariable = approvalVariable
        flags.allowedSignersFile = allowedSigners
        flags.policyFile = policyFile
        flags.approvers = approvers
        flags.approverGroups = approverGroups
        flags.readTokenVariable = readTokenVariable
        flags.approverMustBePlayer = approverMustBePlayer
        flags.requireUserVerification = requireUv
        flags.maximumAge = maxAge
        flags.minimumKeyAge = minKeyAge
        flags.allowSelfApproval = allowSelfApproval
        flags.auditFile = auditFile
        flags.dotenvFile = dotenv
        flags.noCheckout = noCheckout
        return VerifyInvocation(
            flags: flags, membersTokenVariable: membersTokenVariable, caFile: caFile, proxy: proxy, json: output.json,
            verbose: output.verbose)
    }

    func validate() throws {
        if let problem = invocation.problem { throw ValidationError(problem) }
    }

    func run() async throws {
        try await invocation.run()
    }
}
