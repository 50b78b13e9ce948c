import Foundation

/// What a request sees while the key waits for the simulated person.
public protocol RequestContext: AnyObject, Sendable {
    /// True once the client sent CTAPHID_CANCEL for this request (or went away).
    var isCancelled: Bool { get }
    /// Sends a CTAPHID_KEEPALIVE on the request's channel.
    func keepalive(_ status: CTAPHID.KeepaliveStatus)
}

/// The simulated person's finger: touches per `TouchMode`, plus touches injected from outside.
final class UserPresence: @unchecked Sendable {
    static let keepaliveInterval: Duration = .milliseconds(100)

    private let mode: TouchMode
    private let timeout: Duration
    private let condition = NSCondition()
    private var pendingTouches = 0
    private var pendingDenials = 0
    private(set) var waiting = false

    init(mode: TouchMode, timeout: Duration) {
        self.mode = mode
        self.timeout = timeout
    }

    /// Injects one touch: consumed by the current wait, or by the next one if none is waiting.
    func touch() {
        condition.withLock {
            pendingTouches = 1
            condition.broadcast()
        }
    }

    /// The next (or current) wait ends with OPERATION_DENIED, like a person refusing.
    func deny() {
        condition.withLock {
            pendingDenials = 1
            condition.broadcast()
        }
    }

    /// Wakes the current wait early so it notices a cancellation now, not at the next tick.
    func interrupt() {
        condition.withLock { condition.broadcast() }
    }

    var isWaiting: Bool {
        condition.withLock {
            waiting || lastUnsatisfiedTest.map { ContinuousClock.now - $0 < Self.u2fPollWindow } == true
        }
    }

    /// A U2F client polls about every 100 ms; a test answered "not yet" this recently means the
    /// key is still waiting for a touch.
    private static let u2fPollWindow: Duration = .milliseconds(500)
    /// When the current run of unanswered U2F presence tests began (for `.after`).
    private var u2fWaitStart: ContinuousClock.Instant?
    private var lastUnsatisfiedTest: ContinuousClock.Instant?

    /// U2F's test of user presence: answers at once whether the person has touched, without
    /// waiting. A touch is consumed; a run of polls ends when it is answered with a touch.
    func testOfUserPresence() -> Bool {
        condition.withLock {
            let now = ContinuousClock.now
            if let last = lastUnsatisfiedTest, now - last >= Self.u2fPollWindow { u2fWaitStart = nil }
            let start = u2fWaitStart ?? now
            var touched = mode == .auto
            if pendingTouches > 0, mode != .never { pendingTouches = 0; touched = true }
            if case .after(let delay) = mode, now - start >= delay { touched = true }
            if touched {
                u2fWaitStart = nil
                lastUnsatisfiedTest = nil
            } else {
                u2fWaitStart = start
                lastUnsatisfiedTest = now
            }
            return touched
        }
    }

    /// Waits for the touch; throws the CTAP2 status that ends the request otherwise.
    func collect(_ context: RequestContext) throws(CTAP2Status) {
        if mode == .auto { return }
        let clock = ContinuousClock()
        let start = clock.now
        condition.lock()
        waiting = true
        defer {
            waiting = false
            condition.unlock()
        }
        while true {
            if pendingDenials > 0 { pendingDenials = 0; throw .operationDenied }
            if pendingTouches > 0, mode != .never { pendingTouches = 0; return }
            if case .after(let delay) = mode, clock.now - start >= delay { return }
            if context.isCancelled { throw .keepaliveCancel }
            if clock.now - start >= timeout { throw .userActionTimeout }
            context.keepalive(.userPresenceNeeded)
            _ = condition.wait(until: Date().addingTimeInterval(Self.interval))
        }
    }

    private static let interval = Double(keepaliveInterval.components.attoseconds) / 1e18
}
