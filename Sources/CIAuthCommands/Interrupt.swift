import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C while a command waits for a touch must not just kill the process: the security key
/// would keep waiting. Instead the first SIGINT cancels the command's task, which cancels the
/// pending operation on the device (`fido_dev_cancel`, leaving the key usable) and ends with the
/// `cancelled` exit status; a second SIGINT exits at once.
enum Interrupt {
    static func cancellingOnInterrupt(_ body: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await body() }
        let queue = DispatchQueue(label: "ciauth.interrupt")
        let interrupts = Counter()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: queue)
        source.setEventHandler {
            interrupts.value += 1
            // At a yes/no question nothing has been signed or sent yet, and the blocked read
            // cannot be cancelled: quit at once rather than ask for a second Ctrl-C.
            if Terminal.isAsking {
                Terminal.note("\ninterrupted: nothing was done")
                exit(ExitStatus.cancelled.rawValue)
            }
            guard interrupts.value == 1 else { exit(ExitStatus.cancelled.rawValue) }
            Terminal.note("\ninterrupted: cancelling (press Ctrl-C again to quit at once)")
            task.cancel()
        }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        try await task.value
    }

    /// Touched only on the signal source's serial queue.
    private final class Counter: @unchecked Sendable {
        var value = 0
    }
}
