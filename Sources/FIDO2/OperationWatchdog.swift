import Dispatch

/// The deadline, cancel resends and the touch fallback of one user operation, on a Dispatch timer
/// of its own: a Swift concurrency task would share the cooperative pool with the rest of the
/// process, and a busy pool could delay the cancel until libfido2's backstop fired and the
/// connection had to be dropped.
final class OperationWatchdog: @unchecked Sendable {
    private static let queue = DispatchQueue(label: "ciauth.fido2.watchdog", qos: .userInitiated)
    private let timer: DispatchSourceTimer

    init(_ operation: PendingOperation, announcer: TouchAnnouncer?, fallbackDelay: Duration, timeout: Duration) {
        let start = ContinuousClock.now
        timer = DispatchSource.makeTimerSource(queue: Self.queue)
        timer.schedule(deadline: .now() + .milliseconds(50), repeating: .milliseconds(50), leeway: .milliseconds(10))
        timer.setEventHandler {
            guard !operation.isFinished else { return }
            let elapsed = ContinuousClock.now - start
            if elapsed >= fallbackDelay, operation.isRunning { announcer?.announce() }
            if elapsed >= timeout, operation.cancelReason == nil {
                operation.requestCancel(.deadline)
            } else {
                operation.resendCancelIfDue(interval: .milliseconds(500))
            }
        }
        timer.resume()
    }

    func stop() { timer.cancel() }
}
