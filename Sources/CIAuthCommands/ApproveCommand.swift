import ArgumentParser
import CIAuthCore
import Foundation

/// `ciauth approve`: one touch approves a manual job, or several jobs of one pipeline.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve manual GitLab jobs with one touch of your security key, and play them.",
        discussion: """
            TARGET is a job id, a job URL, or a pipeline URL or id with --all-manual or --job. \
            A bare id needs the project: --project, or the "origin" remote of the current \
            repository. What is approved is shown on stderr before the touch.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case transport, plain
    }

    @Argument(help: ArgumentHelp("Job id, job URL, or pipeline URL/id.", valueName: "target"))
    var target: String

    @Option(name: .long, help: ArgumentHelp("Project id or full path (default: from the URL or the git remote).", valueName: "project"))
    var project: String?

    @Flag(name: .long, help: "Approve every manual job of the pipeline (or those matching --job).")
    var allManual = false

    @Option(name: .customLong("job"), help: ArgumentHelp("Job name or glob pattern within the pipeline (repeatable).", valueName: "name"))
    var jobNames: [String] = []

    @Flag(name: [.short, .long], help: "Do not ask for confirmation (required without a terminal).")
    var yes = false

    @Option(name: .long, help: ArgumentHelp("CI variable that carries the approval.", valueName: "name"))
    var variable: String = ApproveRequest.defaultVariable

    @Option(name: .long, help: ArgumentHelp("Why you approve; goes into the signed statement.", valueName: "text"))
    var reason: String?

    @Option(name: .long, help: ArgumentHelp("How long the approval stays valid.", valueName: "duration"))
    var ttl: String = "1h"

    @Option(name: .customLong("max-ttl"), help: ArgumentHelp("Largest --ttl accepted (24h at most).", valueName: "duration"))
    var maxTTL: String = "24h"

    @Option(name: .long, help: ArgumentHelp(
        "Environment of the jobs GitLab shows no deployment for: none, or a name (GitLab cannot tell; required with --yes for such jobs).",
        valueName: "name"))
    var environment: String?

    @Flag(name: .long, help: "Print the approval on stdout instead of playing the job(s).")
    var signOnly = false

    @Option(name: .long, help: "With --sign-only: transport (the variable's value, default) or plain (statement and armored signature).")
    var format: Format = .transport

    @Option(name: .long, help: ArgumentHelp("Use only enrolled credentials of this FIDO application.", valueName: "ssh:name"))
    var application: String?

    @OptionGroup var server: ServerOptions
    @OptionGroup var device: DeviceOptions
    @OptionGroup var touch: TouchOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard let validity = DurationText.positiveSeconds(ttl) else { throw ValidationError("--ttl takes a duration such as 30m or 2h, got \"\(ttl)\"") }
        guard let maximum = DurationText.positiveSeconds(maxTTL) else { throw ValidationError("--max-ttl takes a duration such as 8h, got \"\(maxTTL)\"") }
        if validity > maximum, maximum <= ApproveRequest.hardMaximumValiditySeconds {
            // In the person's own words: `--ttl 48h`, not a normalized `2d`.
            throw ValidationError("--ttl \(ttl) exceeds the maximum of \(maxTTL) (raise it with --max-ttl, at most 24h)")
        }
        do {
            try ApproveRequest.validate(validitySeconds: validity, maximumSeconds: maximum, variable: variable)
        } catch {
            throw ValidationError(error.message)
        }
        if format == .plain, !signOnly { throw ValidationError("--format applies only with --sign-only") }
    }

    func run() async throws {
        let command = self
        try await Interrupt.cancellingOnInterrupt { try await command.perform() }
    }

    private func perform() async throws {
        let context = CommandContext(output: output)
        do {
            let keys = ApproveSecurityKeys(addresses: try context.deviceAddresses(device), logger: context.logger)
            let store = CredentialStore(configDirectory: try ConfigDirectory(environment: context.environment))
            let request = makeRequest()
            let outcome = try await context.withGitLab(server) { gitlab in
                try await ApproveWorkflow(gitlab: gitlab, store: store, keys: keys, interaction: ApproveTerminal.interaction())
                    .run(request)
            }
            try report(outcome)
            if let failure = outcome.failure {
                Terminal.error(failure.message)
                // A play nobody can say happened must not look like one that did not: check first.
                if outcome.jobs.contains(where: { $0.result == .unknown }) { throw ExitStatus.outcomeUnknown.exitCode }
                throw ExitStatus.gitlab.exitCode
            }
        } catch let error as ApproveError where error.code == .declined {
            Terminal.note("Not approved: nothing was signed or played.")
            throw ExitStatus.failure.exitCode
        } catch let error as ApproveError {
            Terminal.error(error.message)
            if output.json { Terminal.output(JSONOutput.document(.approve, ApproveRefusalJSON(reason: error.reason, message: error.message))) }
            throw Self.exitStatus(for: error).exitCode
        } catch let error as EnrollError {
            Terminal.error(error.message)
            throw ExitStatus.failure.exitCode
        } catch {
            throw Failure.report(error)
        }
    }

    static func exitStatus(for error: ApproveError) -> ExitStatus {
        switch error.code {
        case .confirmationUnavailable, .invalidOption: .usage
        case .declined: .failure
        case .playFailed: .gitlab
        case .projectUnknown, .notManual, .noJobs, .statementInvalid, .noCredentials, .environmentUnknown, .environmentMismatch,
            .cannotSucceed: .failure
        }
    }

    private func makeRequest() -> ApproveRequest {
        let output: ApproveRequest.Output = !signOnly ? .play : format == .plain ? .signOnlyPlain : .signOnlyTransport
        return ApproveRequest(
            target: target, project: project, allManual: allManual, jobNames: jobNames, variable: variable, reason: reason,
            validitySeconds: DurationText.positiveSeconds(ttl) ?? ApproveRequest.defaultValiditySeconds, assumeYes: yes,
            output: output, application: application, touchTimeout: .seconds(touch.touchTimeout), environment: environment)
    }

    private func report(_ outcome: ApproveOutcome) throws {
        if output.json { return Terminal.output(JSONOutput.document(.approve, ApproveJSON(outcome))) }
        if signOnly {
            for approval in outcome.approvals {
                Terminal.output(format == .plain ? approval.plainForm : approval.transportValue)
            }
            return
        }
        for job in outcome.jobs where job.succeeded {
            Terminal.output(Terminal.safe("\(job.webURL) \(job.status ?? "unknown")"))
        }
    }
}

/// `ciauth approve --json` when nothing was signed: the named reason and what to do.
struct ApproveRefusalJSON: Encodable {
    let reason: String
    let message: String
}

/// `ciauth approve --json`: the approvals made and what became of each job.
struct ApproveJSON: Encodable {
    struct Approval: Encodable {
        let jobIDs: [Int]
        let keyFingerprint: String
        let expiresAt: String
        let transport: String
        let statement: String
    }

    let approver: String?
    let approvals: [Approval]
    let jobs: [ApproveJobResult]

    init(_ outcome: ApproveOutcome) {
        approver = outcome.approvals.first?.statement.approver
        approvals = outcome.approvals.map {
            Approval(
                jobIDs: $0.statement.jobs.map(\.id), keyFingerprint: $0.signature.publicKey.fingerprint,
                expiresAt: $0.statement.expiresAt.description, transport: $0.transportValue, statement: $0.statement.description)
        }
        jobs = outcome.jobs
    }
}
