import CIAuthCore

/// The commands whose ordinary command lines are read without the full parser
/// (DirectCommandLine): the ones that run in every job and at every gate, where start-up counts.
enum DirectInvocation: Equatable {
    case version
    case checkApproval(CheckApprovalInvocation)
    case verify(VerifyInvocation)
    case gateCheck(GateInvocation)
    case gateExec(GateInvocation)

    /// nil: not one of these commands, or not an ordinary line of one; the full parser reads it.
    static func read(_ words: [String]) -> Self? {
        if words.last == "--version" {
            return paths.contains(Array(words.dropLast())) ? .version : nil
        }
        switch words.first {
        case "check-approval":
            return CheckApprovalInvocation.direct.read(words.dropFirst(), into: .init()).map(Self.checkApproval)
        case "verify":
            return VerifyInvocation.direct.read(words.dropFirst(), into: .init()).map(Self.verify)
        case "gate" where words.dropFirst().first == "check":
            return GateInvocation.directCheck.read(words.dropFirst(2), into: .init()).map(Self.gateCheck)
        case "gate" where words.dropFirst().first == "exec":
            return GateInvocation.directExec.read(words.dropFirst(2), into: .init()).map(Self.gateExec)
        default:
            return nil
        }
    }

    /// The command paths read here; `--version` alone or right after one of them prints the version.
    static let paths: [[String]] = [[], ["check-approval"], ["verify"], ["gate", "check"], ["gate", "exec"]]

    var run: CommandRun {
        switch self {
        case .version: .synchronous { Terminal.output(CIAuthVersion.description) }
        case .checkApproval(let invocation): .synchronous { try invocation.run() }
        case .verify(let invocation): .asynchronous { try await invocation.run() }
        case .gateCheck(let invocation): .asynchronous { try await invocation.check() }
        case .gateExec(let invocation): .asynchronous { try await invocation.exec() }
        }
    }
}
