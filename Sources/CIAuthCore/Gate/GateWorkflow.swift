import Foundation
import GitLab
import SSHSig

/// `ciauth gate`, run where the deploy credentials live (DESIGN point 9, docs/gate.md): trusts a
/// GitLab-signed ID token naming the job, the approval bound to that job, and its own policy.
/// Every step adds a report line or stops with a named failure; the audit record is made in
/// both cases, and a pass is recorded only when everything else holds.
public enum GateWorkflow {
    public static func run(_ request: GateRequest) async -> GateReport {
        var state = GateState(request: request)
        do throws(GateFailure) {
            try await state.decide()
        } catch {
            state.failure = error
        }
        return state.finish()
    }
}

/// The mutable state of one decision, so each step stays a short function.
struct GateState {
    let request: GateRequest
    var policy: GatePolicy { request.policy }
    var checks: [String] = []
    var claims: GateClaims?
    var facts: JobFacts?
    var accepted: AcceptedApproval?
    var pass: Int?
    var failure: GateFailure?

    init(request: GateRequest) {
        self.request = request
    }

    mutating func decide() async throws(GateFailure) {
        guard !request.idToken.isEmpty else { throw GateFailure(.tokenMissing, "no ID token was given") }
        let token = try GateIDToken(compact: request.idToken)
        let client = GateClient(policy: policy, request: request)
        var failure: GateFailure?
        do throws(GateFailure) {
            try await decide(token, client)
        } catch {
            failure = error
        }
        await client.shutdown()
        if let failure { throw failure }
    }

    private mutating func decide(_ token: GateIDToken, _ client: GateClient) async throws(GateFailure) {
        let keys = GateTokenKeys(policy: policy, client: client, now: Self.seconds(request.clock()))
        let claims = try await GateTokenCheck(policy: policy, now: Self.seconds(request.now)).verify(token, keys: keys)
        self.claims = claims
        checks.append(
            "id token: signed by \(policy.issuer) (key \(token.keyID)), audience \(policy.audience), valid now; "
                + "job \(claims.jobID) of pipeline \(claims.pipelineID), project \(claims.runningProjectPath) (\(claims.runningProjectID))")
        checks.append(contentsOf: try GateClaimRules(policy: policy).check(claims))
        var facts = Self.jobFacts(claims, approval: request.approval, server: policy.server)
        self.facts = facts
        let registry = try await registry(client)
        try await readPipelineCreator(client, &facts)
        try verifyApproval(registry, facts, claims)
        try await checkApproverGroups(client)
        try recordPass(facts)
    }

    /// The job as the token names it. The token carries no job name, so the statement's job is
    /// found by id: the name given to the shared verifier is the statement's own name for that
    /// id, or one no statement can hold when the id is not listed (`job-not-approved`, never a
    /// retry guessed from a name).
    static func jobFacts(_ claims: GateClaims, approval: String, server: String) -> JobFacts {
        let listedName = (try? ApprovalTransport(decoding: approval)).flatMap { transport in
            (try? ApprovalStatement(parsing: transport.statementBytes))?.jobs.first { $0.id == claims.jobID }?.name
        }
        return JobFacts(
            server: server, projectID: claims.runningProjectID, projectPath: claims.runningProjectPath,
            pipelineID: claims.pipelineID, jobID: claims.jobID, jobName: listedName ?? "", ref: claims.ref,
            commitSHA: claims.sha, environment: claims.environment.map { .named($0) } ?? JobFacts.Environment.none,
            player: claims.userLogin)
    }

    /// The approver's keys: the target's allowed_signers file, else their GitLab profile.
    private mutating func registry(_ client: GateClient) async throws(GateFailure) -> KeyRegistry {
        if let path = policy.allowedSignersPath {
            guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20,
                let text = String(data: data, encoding: .utf8), let file = try? AllowedSigners(parsing: text)
            else { throw GateFailure(.configurationInvalid, "cannot read the allowed signers file \(path)") }
            checks.append("keys: from the allowed signers file \(path)")
            return KeyRegistry(allowedSigners: file, localTimeZone: TimeZone(identifier: "UTC") ?? .gmt)
        }
        guard let approver = VerifyState.approverName(of: request.approval) else { return KeyRegistry(entries: []) }
        do {
            // The lookup verify uses: the exact username, an active account, that user id's keys.
            switch try await ApproverLookup.read(approver, client: try client.get(), authenticated: false) {
            case .found(let user, let registry):
                checks.append("keys: \(registry.entries.count) security key(s) on @\(user.username)'s profile on \(policy.server)")
                return registry
            case .notFound:
                throw GateFailure(
                    .approverNotFound,
                    "\(policy.server) lists no user @\(approver): no such account, or it is blocked, banned or LDAP-blocked (GitLab hides those)")
            case .inactive(let user):
                throw GateFailure(.approverInactive, "@\(user.username)'s account is \(user.state.isEmpty ? "of unknown state" : user.state), not active")
            }
        } catch let failure as GateFailure {
            throw failure
        } catch {
            throw GateFailure(.gitlabUnreachable, "reading @\(approver)'s keys on \(policy.server) failed: \(error)")
        }
    }

    /// The one approval-checking core, with the job the token names.
    private mutating func verifyApproval(_ registry: KeyRegistry, _ facts: JobFacts, _ claims: GateClaims) throws(GateFailure) {
        let pins = ApprovalPins(server: policy.server, projectPath: policy.projectPath, projectID: policy.projectID)
        let verifier = ApprovalVerifier(registry: registry, policy: policy.approval, pins: pins)
        switch verifier.verify(transport: request.approval, facts: facts, now: request.now) {
        case .accepted(let approval):
            // The token names the player by id too: a username that changed hands is not the approver.
            if policy.approval.approverMustBePlayer, claims.userID != approval.statement.approverID {
                throw GateFailure(
                    .approverNotPlayer,
                    "@\(approval.approver) (user \(approval.statement.approverID)) approved, but the job was played by user \(claims.userID)")
            }
            accepted = approval
            checks.append(
                "signature: \(approval.keyType.rawValue) key \(approval.keyFingerprint) of @\(approval.approver)"
                    + (approval.gitlabKeyID.map { " (GitLab key \($0))" } ?? "") + ", touched"
                    + (approval.isUserVerified ? ", PIN/biometric verified" : ""))
            checks.append(
                "statement: approves job \(facts.jobID) (listed as \(ApprovalStatement.quoted(facts.jobName))) of pipeline "
                    + "\(facts.pipelineID) at \(facts.commitSHA)")
            checks.append("time: issued \(approval.statement.issuedAt), expires \(approval.statement.expiresAt)")
            if policy.approval.approverMustBePlayer { checks.append("player: @\(claims.userLogin) approved and played the job") }
        case .rejected(let rejection):
            throw GateFailure(rejection)
        }
    }

    private mutating func recordPass(_ facts: JobFacts) throws(GateFailure) {
        guard let accepted else { return }
        let store = try GatePassStore(path: policy.passStorePath)
        let number = try store.record(
            GatePassStore.Pass(
                gate: policy.gateName, server: policy.server, jobID: facts.jobID, pipelineID: facts.pipelineID,
                projectID: facts.projectID, approver: accepted.approver,
                nonce: accepted.statement.nonce.map { String(format: "%02x", $0) }.joined(), at: Self.seconds(request.clock())),
            limit: policy.passesPerJob)
        pass = number
        checks.append(
            "pass: \(number) of " + (policy.passesPerJob == 0 ? "unlimited" : String(policy.passesPerJob))
                + " for job \(facts.jobID) at gate \(policy.gateName)")
    }

    static func seconds(_ date: Date) -> Int64 {
        Int64(exactly: date.timeIntervalSince1970.rounded(.down)) ?? 0
    }

    func finish() -> GateReport {
        let verdict: ApprovalVerdict = accepted.map { .accepted($0) } ?? .rejected(ApprovalRejection(.missingApproval, ""))
        let approval = request.approval.utf8.count <= ApprovalLimits.transportBytes ? request.approval : ""
        var audit = ApprovalAuditRecord(verdict: verdict, transport: approval, facts: facts, now: request.now)
        audit.gate = GateAuditFacts(
            name: policy.gateName, audience: policy.audience, issuer: policy.issuer, claims: claims?.summary ?? [:], pass: pass)
        if let failure {
            audit.result = "rejected"
            audit.reason = failure.reason
            audit.failureClass = failure.failureClass.rawValue
            audit.explanation = failure.explanation
            audit.approver = nil
            audit.keyType = nil
            audit.keyFingerprint = nil
            audit.gitlabKeyID = nil
            audit.flags = nil
            audit.counter = nil
        }
        var report = GateReport(audit: audit)
        report.checks = checks
        report.claims = claims
        report.facts = facts
        report.accepted = failure == nil ? accepted : nil
        report.pass = failure == nil ? pass : nil
        report.failure = failure ?? (accepted == nil ? GateFailure(.configurationInvalid, "no decision was reached") : nil)
        if let path = policy.auditLogPath, let problem = GateAuditLog.append(report.audit, to: path) {
            report.fileErrors.append(problem)
        }
        return report
    }
}

/// One JSON line per decision, appended (opened with O_APPEND, so concurrent gates do not mix lines).
enum GateAuditLog {
    static func append(_ record: ApprovalAuditRecord, to path: String) -> String? {
        let line = Array((record.jsonLine + "\n").utf8)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return "cannot open the audit log \(path): errno \(errno)" }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return written == line.count ? nil : "cannot write the audit log \(path)"
    }
}

/// The clients for the pinned server, made only when the gate must ask it something (a key set
/// to fetch, an approver's profile keys; with the gate's read token, group members and the
/// pipeline's creator): with a fresh key cache, `allowed_signers` and no rule that needs the
/// read token, a decision makes no network connection at all.
final class GateClient: @unchecked Sendable {
    private let policy: GatePolicy
    private let request: GateRequest
    private var client: GitLabClient?
    private var reader: GitLabClient?

    init(policy: GatePolicy, request: GateRequest) {
        self.policy = policy
        self.request = request
    }

    /// The anonymous client.
    func get() throws(GateFailure) -> GitLabClient {
        if let client { return client }
        let made = try make(.anonymous)
        client = made
        return made
    }

    /// The client authenticated by the gate's read token (`read_token_file`).
    func withReadToken() throws(GateFailure) -> GitLabClient {
        if let reader { return reader }
        guard let path = policy.readTokenPath else {
            throw GateFailure(.configurationInvalid, "the policy needs GitLab reads with a token but names no read_token_file")
        }
        let made = try make(.accessToken(try GateReadToken.load(path: path)))
        reader = made
        return made
    }

    private func make(_ credentials: GitLabCredentials) throws(GateFailure) -> GitLabClient {
        var options = request.clientOptions
        options.maxResponseBytes = GateKeySet.maximumBytes * 4
        do {
            return try GitLabClient(server: try GitLabServer(policy.server), credentials: credentials, options: options, logger: request.logger)
        } catch {
            throw GateFailure(.configurationInvalid, "cannot set up the client for \(policy.server): \(error)")
        }
    }

    func shutdown() async {
        try? await client?.shutdown()
        try? await reader?.shutdown()
    }
}
