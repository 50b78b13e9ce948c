import ArgumentParser
import CIAuthCore

/// `ciauth gate`: at the deploy target, in front of the thing being protected.
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "At the deploy target: admit a job by its GitLab ID token and approval, under the target's own policy.",
        discussion: """
            Reads the job's ID token and approval from stdin, one line each (token first), or from \
            --id-token-file and --approval-file. Exit status 0 when the job may pass; 10 no approval, \
            11 malformed, 12 bad signature, 13 unknown key, 14 refused by policy, 15 tampering, \
            16 GitLab unreachable, 17 ID token refused, 18 job already passed, 1 pass store failure, \
            78 configuration error.
            """,
        subcommands: [GateCheckCommand.self, GateExecCommand.self]
    )
}

/// What both gate commands take.
struct GateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The gate's policy file (default /etc/ciauth/gate.yml).", valueName: "path"), completion: .file())
    var policy: String = GatePolicy.defaultPath

    @Option(help: ArgumentHelp("Read the ID token from this file instead of stdin.", valueName: "path"), completion: .file())
    var idTokenFile: String?

    @Option(help: ArgumentHelp("Read the approval (transport value) from this file instead of stdin.", valueName: "path"), completion: .file())
    var approvalFile: String?

    @Option(help: ArgumentHelp("Judge the time rules at this instant (RFC 3339, e.g. 2026-11-28T10:00:00Z) instead of now.", valueName: "time"))
    var at: String?

    @OptionGroup var logging: VerboseOption

    /// The settings as plain values, as the direct reader also builds them.
    var invocation: GateInvocation {
        GateInvocation(policy: policy, idTokenFile: idTokenFile, approvalFile: approvalFile, at: at, verbose: logging.verbose)
    }

    func validate() throws {
        if let problem = invocation.problem { throw ValidationError(problem) }
    }
}

/// `ciauth gate check`: the decision as an exit status, for scripts.
struct GateCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Decide whether the job may pass; exit status 0 when it may (records the pass).")

    @OptionGroup var gate: GateOptions

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func run() async throws {
        var invocation = gate.invocation
        invocation.json = json
        try await invocation.check()
    }
}
