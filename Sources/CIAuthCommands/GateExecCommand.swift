import ArgumentParser
import CIAuthCore
import Foundation

/// `ciauth gate exec -- COMMAND…`: for `authorized_keys` forced commands. Runs COMMAND (in place
/// of the gate process, stdin and stdout handed over) only when the job passes, with the verified
/// facts in `CIAUTH_*` variables; never otherwise. The gate's own lines go to stderr.
struct GateExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run COMMAND only if the job passes the gate, with the verified facts in CIAUTH_* variables.")

    @OptionGroup var gate: GateOptions

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The protected command and its arguments, after --.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the protected command after --: ciauth gate exec -- COMMAND [ARG…]") }
    }

    func run() async throws {
        var invocation = gate.invocation
        invocation.command = command
        try await invocation.exec()
    }
}

extension GateInvocation {
    /// Decides, then replaces this process with the protected command only if the job passed.
    func exec() async throws {
        let report = await decide()
        for line in report.checks { Terminal.note(Terminal.safe("ok  " + line)) }
        for problem in report.fileErrors { Terminal.warning(problem) }
        guard report.isAccepted, report.failure == nil else {
            let failure = report.failure ?? GateFailure(.configurationInvalid, "no decision")
            Terminal.error(Terminal.safe("\(failure.reason): \(failure.explanation)"))
            throw Self.exitStatus(failure).exitCode
        }
        // Variables that came with the connection never pose as verified facts.
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CIAUTH_") }
        for (key, value) in report.environment { environment[key] = value }
        Terminal.note("passed: running \(Terminal.safe(command[0]))")
        let error = Self.exec(command, environment: environment)
        Terminal.error("cannot run \(Terminal.safe(command[0])): \(String(cString: strerror(error)))")
        throw ExitStatus.failure.exitCode
    }

    /// Replaces this process with the command; returns errno only on failure. A name without
    /// `/` is looked up in PATH, as a shell would.
    private static func exec(_ arguments: [String], environment: [String: String]) -> Int32 {
        let path = resolve(arguments[0], searchPath: environment["PATH"] ?? "/usr/bin:/bin")
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        execve(path, argv, envp)
        return errno
    }

    private static func resolve(_ name: String, searchPath: String) -> String {
        guard !name.contains("/") else { return name }
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return name
    }
}
