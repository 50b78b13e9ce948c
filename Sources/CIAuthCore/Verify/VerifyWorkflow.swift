import Foundation
import GitLab
import Logging
import SSHSig

/// `ciauth verify`, run inside the job: proves that an enrolled person approved exactly this job
/// (docs/verify.md). Every step either adds a line to the report or stops with a named failure;
/// the audit record is written in both cases.
public enum VerifyWorkflow {
    public static func run(_ request: VerifyRequest) async -> VerifyReport {
        let now = request.now()
        var state = VerifyState(request: request, now: now)
        do throws(VerifyFailure) {
            try await state.verify()
        } catch {
            state.failure = error
        }
        var report = state.finish()
        VerifyFiles.write(&report, flags: request.flags, environment: request.environment, directory: request.currentDirectory)
        return report
    }
}

/// The mutable state of one verification, so each step stays a short function.
struct VerifyState {
    let request: VerifyRequest
    let now: Date
    var checks: [String] = []
    var settings: VerifySettings?
    var truth: VerifyJobTruth?
    var accepted: AcceptedApproval?
    var failure: VerifyFailure?
    var transportValue = ""
    var approver: String?
    /// An absolute `--policy-file`, read before anything is asked of GitLab.
    var imagePolicy: RepositoryPolicy?
    /// The approver's GitLab account as looked up for their keys (id, username, state).
    var approverUser: GitLabUser?
    /// The checked-out commit, equal to GitLab's; nil without a work tree (`--no-checkout`).
    var checkedOutCommit: String?

    init(request: VerifyRequest, now: Date) {
        self.request = request
        self.now = now
    }

    var environment: [String: String] { request.environment }

    mutating func verify() async throws(VerifyFailure) {
        // Outside a job nothing else can pass: say so first, rather than asking a person trying
        // the command in a shell for pins one at a time.
        try checkInsideJob()
        let directory = try VerifyCheckout.projectDirectory(current: request.currentDirectory, environment: environment)
        // The pins come from the command line alone (the pipeline definition): the policy file is
        // read from the commit GitLab names, so it can neither choose the GitLab that is asked nor
        // the project and job that are expected.
        let pinned = try VerifySettings(flags: request.flags, file: nil, environment: environment)
        settings = pinned
        try VerifyImageFiles.refuseBuildDirectoryFiles(flags: request.flags, caFile: request.clientOptions.caFile, directory: directory)
        let source = VerifyPolicyFile(flag: request.flags.policyFile)
        if source.isInImage { imagePolicy = try source.fromImage(lines: &checks) }
        transportValue = environment[pinned.approvalVariable] ?? ""
        try checkServerVariable(pinned)
        let client = try makeClient(pinned, credentials: .jobToken(try jobToken()))
        var failure: VerifyFailure?
        do throws(VerifyFailure) {
            try await verify(with: client, pinned, directory: directory)
        } catch {
            failure = error
        }
        try? await client.shutdown()
        if let failure { throw failure }
    }

    private mutating func verify(with client: GitLabClient, _ pinned: VerifySettings, directory: URL) async throws(VerifyFailure) {
        var truth = try await fetchTruth(client, pinned)
        self.truth = truth
        let head = try checkJobEnvironment(truth, pinned, directory: directory)
        checkedOutCommit = head
        let settings = try policySettings(pinned, head: head, truth: truth, directory: directory)
        self.settings = settings
        transportValue = environment[settings.approvalVariable] ?? ""
        let registry = try await registry(client, settings, directory: directory)
        try await readPipelineCreator(settings, &truth)
        try verifyApproval(registry, settings, truth)
        try checkPlayer(settings, truth)
        try await checkGroups(settings)
    }

    /// The flags merged over the policy file: the committed one at the checked-out commit (which
    /// equals GitLab's), an absolute file of the job's image, or none without a checkout.
    private mutating func policySettings(
        _ pinned: VerifySettings, head: String?, truth: VerifyJobTruth, directory: URL
    ) throws(VerifyFailure) -> VerifySettings {
        let source = VerifyPolicyFile(flag: request.flags.policyFile)
        let file: RepositoryPolicy?
        if source.isInImage {
            file = imagePolicy
        } else if let head {
            file = try source.committed(commit: head, directory: directory, lines: &checks)
        } else {
            file = try source.withoutCheckout(directory: directory, lines: &checks)
        }
        guard let file else { return pinned }
        try Self.checkFilePins(file, pinned: pinned, facts: truth.facts)
        return try VerifySettings(flags: request.flags, file: file, environment: environment)
    }

    /// A policy file may repeat the command line's server and project, never contradict them.
    static func checkFilePins(_ file: RepositoryPolicy, pinned: VerifySettings, facts: JobFacts) throws(VerifyFailure) {
        if let server = file.server, (try? ConfiguredServer.canonical(server)) != pinned.server {
            throw .configuration(
                "the policy file names the server \(ApprovalStatement.quoted(server)) but the verify command pins \(pinned.server)",
                remedy: "make server: in the policy file equal --server, or remove it")
        }
        if let project = file.project {
            let matches = Int(project).map { $0 == facts.projectID } ?? (project.lowercased() == facts.projectPath.lowercased())
            guard matches else {
                throw .configuration(
                    "the policy file names the project \(ApprovalStatement.quoted(project)) but this job's project is "
                        + "\(facts.projectPath) (\(facts.projectID))",
                    remedy: "make project: in the policy file name this project, or remove it")
            }
        }
    }

    private mutating func checkServerVariable(_ settings: VerifySettings) throws(VerifyFailure) {
        let claimed = environment["CI_SERVER_URL"]
        guard let claimed, (try? ApprovalStatement.canonicalServerURL(claimed)) == settings.server else {
            throw VerifyFailure(
                "server-mismatch", .tampering,
                "CI_SERVER_URL is \(claimed.map(ApprovalStatement.quoted) ?? "unset") but the pipeline definition pins \(settings.server)",
                remedy: "run this job on \(settings.server), and do not override CI_SERVER_URL")
        }
        checks.append("server: \(settings.server) (pinned; CI_SERVER_URL agrees)")
    }

    private func checkInsideJob() throws(VerifyFailure) {
        guard VerifyJobTruth.isInsideJob(environment) else {
            throw VerifyFailure(
                "not-in-job", nil, "not inside a GitLab CI job (no CI_JOB_TOKEN, CI_JOB_ID or GITLAB_CI)",
                remedy: "run ciauth verify in the script of the job it gates; to check an approval by hand use `ciauth check-approval`")
        }
    }

    private func jobToken() throws(VerifyFailure) -> String {
        guard let token = environment["CI_JOB_TOKEN"], !token.isEmpty else {
            throw VerifyFailure(
                "job-token-missing", .tampering, "CI_JOB_TOKEN is empty or unset inside a job: a variable overrides it",
                remedy: "play the job again without a variable named CI_JOB_TOKEN")
        }
        return token
    }

    private func makeClient(_ settings: VerifySettings, credentials: GitLabCredentials) throws(VerifyFailure) -> GitLabClient {
        do {
            return try GitLabClient(
                server: settings.gitlabServer, credentials: credentials, options: request.clientOptions, logger: request.logger)
        } catch {
            throw .configuration("cannot set up the GitLab client: \(error)", remedy: "check --ca-file and --proxy")
        }
    }

    private mutating func fetchTruth(_ client: GitLabClient, _ settings: VerifySettings) async throws(VerifyFailure) -> VerifyJobTruth {
        let job: GitLabJob
        do throws(GitLabError) {
            job = try await client.currentJob()
        } catch where error.code == .unauthorized {
            throw VerifyFailure(
                "gitlab-unreachable", .gitlabUnreachable,
                "\(settings.server) refused the job token (GET /job: HTTP 401)",
                remedy: "the token is not this running job's: do not set CI_JOB_TOKEN as a variable; re-run the job")
        } catch {
            throw .gitlab("asking \(settings.server) for this job (GET /job with the job token)", error)
        }
        let truth = try VerifyJobTruth(job: job, server: settings.server)
        let facts = truth.facts
        checks.append(
            "job: \(facts.jobID) \(ApprovalStatement.quoted(facts.jobName)) (stage \(ApprovalStatement.quoted(truth.stage))) of pipeline \(facts.pipelineID), "
                + "project \(facts.projectPath) (\(facts.projectID)), according to GitLab")
        return truth
    }

    /// The pins, the job's variables and the checkout against GitLab's truth; the checked-out
    /// commit (equal to GitLab's) when there is a work tree.
    private mutating func checkJobEnvironment(
        _ truth: VerifyJobTruth, _ settings: VerifySettings, directory: URL
    ) throws(VerifyFailure) -> String? {
        let facts = truth.facts
        // The job's variables against GitLab first: a disagreement there is tampering. Once they
        // agree, a pin that differs is the pipeline definition's mistake (a renamed job), not an attack.
        try truth.checkEnvironment(environment)
        checks.append("environment: CI_JOB_ID, CI_JOB_NAME, CI_PIPELINE_ID, CI_PROJECT_ID, CI_PROJECT_PATH, CI_COMMIT_SHA, "
            + "CI_COMMIT_REF_NAME, GITLAB_USER_LOGIN agree with GitLab")
        if let mismatch = ApprovalBinding.firstPinMismatch(settings.pins, facts: facts) {
            throw VerifyFailure(
                "pin-outdated", nil,
                "this job's \(mismatch.what) is \(ApprovalStatement.quoted(mismatch.actual)) (GitLab and the job's variables agree), "
                    + "but the verify command pins \(ApprovalStatement.quoted(mismatch.pinned))",
                remedy: "if the \(mismatch.what) was changed on purpose, update the pin in the pipeline definition; "
                    + "if not, this job may carry another job's token: do not deploy from it")
        }
        checks.append("pins: " + pinSummary(settings.pins))
        try VerifyJobTruth.checkEnvironmentName(pinned: settings.pins.environment, environment: environment)
        let state = try VerifyCheckout.head(in: directory)
        // A job variable (GIT_STRATEGY=none) can leave the directory empty, which would also drop
        // the repository's policy file: only the pipeline definition may choose to run without one.
        if !request.flags.noCheckout, let failure = VerifyCheckout.missingCheckout(state, directory: directory) {
            throw failure
        }
        let head = state.commit
        try VerifyCheckout.checkHead(head, truth: facts.commitSHA)
        checks.append(head == nil
            ? "checkout: \(state.uncheckedSummary) (commit \(facts.commitSHA) per GitLab; not compared)"
            : "checkout: HEAD is \(facts.commitSHA), the pipeline's commit (ref \(facts.ref))")
        return head
    }

    private func pinSummary(_ pins: ApprovalPins) -> String {
        var parts: [String] = []
        if let path = pins.projectPath { parts.append("project \(path)") }
        if let id = pins.projectID { parts.append("project id \(id)") }
        if let name = pins.jobName { parts.append("job name \(name)") }
        if let environment = pins.environment { parts.append("environment \(environment)") }
        return parts.isEmpty ? "server only" : parts.joined(separator: ", ") + " match"
    }

    /// The approver's keys: the offline allowed_signers file, else their GitLab profile, read with
    /// the read token when one is configured (an instance that restricts Public visibility hides
    /// users from anonymous visitors), otherwise anonymously; the job token is never offered.
    /// Only an active account's keys count.
    private mutating func registry(
        _ client: GitLabClient, _ settings: VerifySettings, directory: URL
    ) async throws(VerifyFailure) -> KeyRegistry {
        approver = Self.approverName(of: transportValue)
        if let path = settings.allowedSignersPath { return try allowedSigners(path, directory: directory) }
        guard let approver else { return KeyRegistry(entries: []) }
        let readToken = readToken(settings)
        let lookup: ApproverLookup
        if let missing = readToken.missing {
            lookup = try await lookUp(approver, client, readToken: nil, anonymousBecause: missing, settings)
        } else {
            lookup = try await readToken.withClient { (reader) throws(VerifyFailure) -> ApproverLookup in
                try await lookUp(approver, reader, readToken: settings.readTokenVariable, settings)
            }
        }
        approverUser = lookup.user
        if let (refusal, explanation) = lookup.refusal(approver, server: settings.server) {
            throw approverRefused(refusal, explanation, approver)
        }
        guard case .found(let user, let registry) = lookup else { return KeyRegistry(entries: []) }
        checks.append("keys: \(registry.entries.count) security key(s) on @\(user.username)'s profile on \(settings.server)")
        checks.append("account: @\(user.username) is active" + (readToken.missing == nil ? " (read with the read token)" : ""))
        return registry
    }

    /// Reads the approver with `client`, as the holder of `readToken` (a variable name) or
    /// anonymously (`anonymousBecause` says why there is no token).
    private func lookUp(
        _ approver: String, _ client: GitLabClient, readToken: String?, anonymousBecause: String = "", _ settings: VerifySettings
    ) async throws(VerifyFailure) -> ApproverLookup {
        do throws(GitLabError) {
            return try await ApproverLookup.read(approver, client: client, authenticated: readToken != nil)
        } catch where [.unauthorized, .forbidden, .insufficientScope].contains(error.code) {
            // Anonymous: the instance restricts Public visibility. With a token: GitLab refuses it.
            let who = readToken.map { "refused the token in \($0)" }
                ?? "does not show users to anonymous visitors, and there is no read token (\(anonymousBecause))"
            throw VerifyFailure(
                "approver-unreadable", .policy, "\(settings.server) \(who) (looking up @\(approver)): \(error)",
                remedy: readToken.map { "put a valid token with the read_api scope in \($0)" } ?? VerifyReadToken.remedy)
        } catch {
            throw .gitlab("reading @\(approver)'s keys on \(settings.server)", error)
        }
    }

    /// No active account: `approver-inactive` (policy) or `approver-not-found` (unknown key:
    /// GitLab lists no such user, perhaps a blocked one it hides).
    private func approverRefused(_ refusal: ApproverLookup.Refusal, _ explanation: String, _ approver: String) -> VerifyFailure {
        let job = truth.map { "job \($0.facts.jobID)" } ?? "the job"
        switch refusal {
        case .inactive:
            return VerifyFailure(
                refusal.rawValue, .policy, explanation,
                remedy: "ask an active approver to approve \(job); an administrator can reactivate @\(approverUser?.username ?? approver)")
        case .notFound:
            return VerifyFailure(
                refusal.rawValue, .unknownKey, explanation,
                remedy: "check the approver's username; if the account is blocked or banned, ask an active approver to approve \(job)")
        }
    }

    /// An absolute path is a file of the job's image; a relative one is a file of the repository,
    /// read as committed at GitLab's commit like the policy file (the work tree's copy is never obeyed).
    private mutating func allowedSigners(_ path: String, directory: URL) throws(VerifyFailure) -> KeyRegistry {
        let data: [UInt8]?
        if path.hasPrefix("/") {
            data = FileManager.default.contents(atPath: path).flatMap { $0.count <= Self.allowedSignersLimit ? [UInt8]($0) : nil }
            checks.append("keys: from the allowed signers file \(path)")
        } else {
            guard let commit = checkedOutCommit else {
                throw .configuration(
                    "--allowed-signers \(path) names a repository file, but the job runs with --no-checkout",
                    remedy: "use an absolute --allowed-signers path of a file in the job's image")
            }
            let file = VerifyRepositoryFile(path: path, reasonPrefix: "allowed-signers", sizeLimit: Self.allowedSignersLimit)
            guard let committed = try file.committed(commit: commit, directory: directory) else {
                throw .configuration("commit \(commit) has no \(path)", remedy: "commit \(path), or fix --allowed-signers")
            }
            data = committed
            checks.append("keys: from \(path) as committed in \(commit) (git objects, hashes checked; the work tree's copy is identical)")
        }
        guard let data, let text = String(validating: data, as: UTF8.self), let file = try? AllowedSigners(parsing: text) else {
            throw .configuration("cannot read the allowed signers file \(path)", remedy: "check --allowed-signers")
        }
        // Times without a zone are read in UTC: inside a job, TZ is a variable anyone playing it can set.
        return KeyRegistry(allowedSigners: file, localTimeZone: TimeZone(identifier: "UTC") ?? .gmt)
    }

    static let allowedSignersLimit = 1 << 20

    /// The statement's approver, when the value decodes; a bad value is rejected by the verifier.
    static func approverName(of value: String) -> String? {
        guard let transport = try? ApprovalTransport(decoding: value),
            let statement = try? ApprovalStatement(parsing: transport.statementBytes)
        else { return nil }
        return statement.approver
    }

    /// Only when self-approval is forbidden and there is an approver to compare: a missing or
    /// undecodable approval is rejected by the verifier without asking GitLab.
    private mutating func readPipelineCreator(_ settings: VerifySettings, _ truth: inout VerifyJobTruth) async throws(VerifyFailure) {
        guard !settings.policy.allowSelfApproval, approver != nil else { return }
        let creator = try await VerifyPipelineCreator(readToken: readToken(settings)).creator(of: truth.facts)
        truth.facts.pipelineCreator = creator
        self.truth = truth
        checks.append("pipeline: \(truth.facts.pipelineID) read with the read token agrees with the job (project, commit); created by @\(creator)")
    }

    private func readToken(_ settings: VerifySettings) -> VerifyReadToken {
        VerifyReadToken(settings: settings, environment: environment, options: request.clientOptions, logger: request.logger)
    }

    private mutating func verifyApproval(_ registry: KeyRegistry, _ settings: VerifySettings, _ truth: VerifyJobTruth) throws(VerifyFailure) {
        let verifier = ApprovalVerifier(registry: registry, policy: settings.policy, pins: settings.pins)
        switch verifier.verify(transport: transportValue, facts: truth.facts, now: now) {
        case .accepted(let approval):
            accepted = approval
            checks.append(
                "signature: \(approval.keyType.rawValue) key \(approval.keyFingerprint) of @\(approval.approver)"
                    + (approval.gitlabKeyID.map { " (GitLab key \($0))" } ?? "")
                    + ", namespace \(ApprovalProtocol.namespace), touched" + (approval.isUserVerified ? ", PIN/biometric verified" : ""))
            checks.append("statement: approves job \(truth.facts.jobID) of pipeline \(truth.facts.pipelineID) at \(truth.facts.commitSHA)")
            checks.append("time: issued \(approval.statement.issuedAt), expires \(approval.statement.expiresAt)")
            if let creator = truth.facts.pipelineCreator, !settings.policy.allowSelfApproval {
                checks.append("self-approval: pipeline created by @\(creator), approved by @\(approval.approver)")
            }
        case .rejected(let rejection):
            throw VerifyFailure(Self.retryExplained(rejection, truth: truth.facts, value: transportValue), context: remedyContext(settings))
        }
    }

    /// A retried job carries the old job's approval: say so in the words a person needs.
    static func retryExplained(_ rejection: ApprovalRejection, truth: JobFacts, value: String) -> ApprovalRejection {
        guard rejection.reason == .retriedJob, let transport = try? ApprovalTransport(decoding: value),
            let statement = try? ApprovalStatement(parsing: transport.statementBytes),
            let original = statement.jobs.first(where: { $0.name == truth.jobName })
        else { return rejection }
        return ApprovalRejection(
            .retriedJob,
            "this job was retried: GitLab copied the approval of job \(original.id); approve job \(truth.jobID)")
    }

    private mutating func checkPlayer(_ settings: VerifySettings, _ truth: VerifyJobTruth) throws(VerifyFailure) {
        guard let accepted else { return }
        let player = truth.player.map { "@\($0)" } ?? "nobody known"
        guard settings.approverMustBePlayer else {
            checks.append("player: \(player) played the job with @\(accepted.approver)'s approval (approver need not be the player)")
            return
        }
        guard truth.player == accepted.approver else {
            throw VerifyFailure(
                "approver-not-player", .policy,
                "@\(accepted.approver) approved, but GitLab says \(player) played the job, and the policy requires the approver to play it",
                remedy: "let @\(accepted.approver) play the job (`ciauth approve \(truth.facts.jobID)`), or set --no-approver-must-be-player for bots")
        }
        checks.append("player: @\(accepted.approver) approved and played the job")
    }

    private mutating func checkGroups(_ settings: VerifySettings) async throws(VerifyFailure) {
        guard let accepted, !settings.groupRules.isEmpty else {
            if let approvers = settings.approvers, accepted != nil {
                checks.append("approver: allowed (\(approvers.joined(separator: ", ")))")
            }
            return
        }
        if settings.approverRules.isListed(accepted.approver, id: accepted.statement.approverID) {
            checks.append("approver: @\(accepted.approver) is a listed approver")
            return
        }
        let membership = VerifyMembership(settings: settings, readToken: readToken(settings))
        checks.append(try await membership.check(accepted.approver, id: accepted.statement.approverID))
    }

    func remedyContext(_ settings: VerifySettings) -> VerifyRemedyContext {
        VerifyRemedyContext(
            server: settings.server, jobID: truth?.facts.jobID, approver: approver,
            keyFingerprint: Self.signingKeyFingerprint(of: transportValue))
    }

    /// The fingerprint of the key that signed the value, when its signature parses.
    static func signingKeyFingerprint(of value: String) -> String? {
        guard let transport = try? ApprovalTransport(decoding: value),
            let signature = try? ApprovalVerifier.parseSignature(transport.signatureBlob)
        else { return nil }
        return signature.publicKey.fingerprint
    }

    func finish() -> VerifyReport {
        var audit: ApprovalAuditRecord
        if let accepted {
            audit = ApprovalAuditRecord(verdict: .accepted(accepted), transport: transportValue, facts: truth?.facts, now: now)
        } else {
            audit = ApprovalAuditRecord(
                verdict: .rejected(ApprovalRejection(.missingApproval, "")), transport: transportValue, facts: truth?.facts, now: now)
        }
        if let failure {
            audit.result = "rejected"
            audit.reason = failure.reason
            audit.failureClass = failure.failureClass?.rawValue ?? "configuration"
            audit.explanation = failure.explanation
        }
        var report = VerifyReport(audit: audit)
        report.checks = checks
        report.accepted = failure == nil ? accepted : nil
        report.failure = failure
        report.facts = truth?.facts
        report.player = truth?.player
        return report
    }
}
