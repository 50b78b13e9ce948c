import ArgumentParser
import CIAuthCore
import Foundation
import SSHSig

/// Development aid: verifies one approval against an allowed_signers file, without a job.
///
/// It checks the signature, the key, the flags and the time window, but not the job binding
/// (there is no job to ask GitLab about): inside a job use `ciauth verify`. Hidden from help; it
/// exists to compare ciauth's whole-process cost with `ssh-keygen -Y verify` (`make bench`).
struct CheckApprovalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-approval",
        abstract: "Verify an approval against an allowed_signers file, without a job (development aid).",
        shouldDisplay: false
    )

    @Option(help: ArgumentHelp("OpenSSH allowed_signers file with the approvers' keys.", valueName: "path"), completion: .file())
    var allowedSigners: String

    @Option(help: ArgumentHelp("File with the approval (transport value or plain form); - for stdin (the default).", valueName: "path"), completion: .file())
    var approval: String?

    @Flag(help: "Require the user-verification (PIN) flag.")
    var requireUv = false

    @Option(help: ArgumentHelp("Judge the time window at this instant (RFC 3339, e.g. 2026-11-28T10:00:00Z) instead of now.", valueName: "time"))
    var at: String?

    var invocation: CheckApprovalInvocation {
        CheckApprovalInvocation(allowedSigners: allowedSigners, approval: approval ?? "-", requireUv: requireUv, at: at)
    }

    func validate() throws {
        if let problem = invocation.problem { throw ValidationError(problem) }
    }

    func run() throws {
        try invocation.run()
    }
}

/// What check-approval was told, as plain values: read by the full parser or directly.
struct CheckApprovalInvocation: Equatable {
    var allowedSigners = ""
    var approval = "-"
    var requireUv = false
    var at: String?

    static let direct = DirectCommandLine<Self>(
        options: [
            ("--allowed-signers", .value { $0.allowedSigners = $1 }),
            ("--approval", .value { $0.approval = $1 }),
            ("--require-uv", .flag { $0.requireUv = true }),
            ("--at", .value { $0.at = $1 }),
        ],
        required: ["--allowed-signers"],
        isValid: { $0.problem == nil })

    /// Why these settings cannot run; nil when they can.
    var problem: String? {
        if let at, InstantArgument.parse(at) == nil {
            return "--at '\(at)' is not an RFC 3339 time such as 2026-11-28T10:00:00Z"
        }
        return nil
    }

    func run() throws {
        do {
            let signers = try AllowedSigners(parsing: try Self.readText(allowedSigners))
            let text = Self.trimmed(try Self.readText(approval))
            let transport = text.hasPrefix(ApprovalTransport.prefix)
                ? text : try ApprovalTransport(plainForm: text + "\n").encoded
            let policy = ApprovalPolicy(requireUserVerification: requireUv)
            let verdict = ApprovalVerifier.verifyOffline(
                transport: transport, allowedSigners: signers, policy: policy, now: at.flatMap(InstantArgument.parse) ?? Date())
            switch verdict {
            case .accepted(let approval):
                Terminal.output("approved by \(approval.approver) with \(approval.keyFingerprint)")
            case .rejected(let rejection):
                throw rejection
            }
        } catch {
            throw Failure.report(error)
        }
    }

    /// Without surrounding white space and line ends; in Swift, not through Foundation's
    /// character sets, whose first use costs more than the verification itself.
    private static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }

    private static func readText(_ path: String) throws -> String {
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
        guard let data, let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("cannot read \(path == "-" ? "standard input" : path) as UTF-8 text")
        }
        return text
    }
}
