import ArgumentParser
import Dispatch

/// A command ready to run, however its command line was read. A synchronous one (check-approval,
/// `--help`, `--version`) runs on the main thread and never starts the concurrency runtime's
/// threads; an asynchronous one runs as a task while the main queue is drained, as an `async`
/// main would.
enum CommandRun {
    case synchronous(() throws -> Void)
    case asynchronous(@Sendable () async throws -> Void)

    init(_ command: ParsableCommand) {
        if let asyncCommand = command as? AsyncParsableCommand {
            // Handed to the one task that runs it; nothing else touches it afterwards.
            nonisolated(unsafe) let asyncCommand = asyncCommand
            self = .asynchronous {
                var command = asyncCommand
                try await command.run()
            }
        } else {
            self = .synchronous {
                var command = command
                try command.run()
            }
        }
    }

    func start() -> Never {
        switch self {
        case .synchronous(let body):
            do { try body() } catch { CIAuth.exit(withError: error) }
            CIAuth.exit()
        case .asynchronous(let body):
            Task {
                do { try await body() } catch { CIAuth.exit(withError: error) }
                CIAuth.exit()
            }
            dispatchMain()
        }
    }
}
