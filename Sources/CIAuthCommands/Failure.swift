import ArgumentParser
import CIAuthCore
import FIDO2
import GitLab

/// Turns any error a command meets into one message on stderr and its documented exit status.
enum Failure {
    static func exitStatus(for error: any Error) -> ExitStatus {
        switch error {
        case let rejection as ApprovalRejection: exitStatus(for: rejection.failureClass)
        case let error as GitLabError: error.isConfiguration ? .configuration : .gitlab
        case let error as FIDO2Error: exitStatus(for: error.kind)
        case is ConfigurationProblem: .configuration
        case is CancellationError: .cancelled
        case is ValidationError: .usage
        default: .failure
        }
    }

    static func exitStatus(for kind: FIDO2Error.Kind) -> ExitStatus {
        switch kind {
        case .cancelled: .cancelled
        case .libraryMissing: .libraryMissing
        default: .device
        }
    }

    static func exitStatus(for failureClass: ApprovalFailureClass) -> ExitStatus {
        switch failureClass {
        case .noApproval: .noApproval
        case .malformed: .malformedApproval
        case .badSignature: .badSignature
        case .unknownKey: .unknownKey
        case .policy: .policy
        case .tampering: .tampering
        case .gitlabUnreachable: .gitlab
        }
    }

    /// Reports the error and returns the exit code to throw from `run()`.
    static func report(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        Terminal.error(String(describing: error))
        return exitStatus(for: error).exitCode
    }
}
