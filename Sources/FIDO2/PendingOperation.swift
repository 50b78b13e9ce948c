import CFIDO2
import Foundation

/// One user-facing operation (make credential, assertion, touch probe) in flight on a device.
///
/// Cancellation is the one cross-thread libfido2 call ciauth makes: while the device thread blocks
/// reading the reply, another thread sends CTAPHID_CANCEL with `fido_dev_cancel`. The key then
/// answers KEEPALIVE_CANCEL, which the blocked call reads, so the connection stays in sync and
/// usable. A cancel that arrives before the request is written is re-sent until the call returns.
final class PendingOperation: @unchecked Sendable {
    enum CancelReason: Sendable { case task, deadline }

    private let handle: DeviceHandle
    /// Set for a U2F-only key: libfido2 refuses `fido_dev_cancel` on it (it polls the key every
    /// 100 ms instead of waiting on it), so a cancel makes the channel refuse the next poll.
    private let localCancel: ReportChannel?
    private let lock = NSLock()
    private var running = false
    private var finished = false
    private var reason: CancelReason?
    private var lastCancel: ContinuousClock.Instant?

    init(handle: DeviceHandle, localCancel: ReportChannel? = nil) {
        self.handle = handle
        self.localCancel = localCancel
    }

    var cancelReason: CancelReason? { lock.withLock { reason } }
    var isFinished: Bool { lock.withLock { finished } }
    var isRunning: Bool { lock.withLock { running } }

    /// Marks the operation as started; false when it was cancelled before it began.
    func start() -> Bool {
        lock.withLock {
            running = reason == nil
            return running
        }
    }

    func finish() {
        lock.withLock {
            running = false
            finished = true
        }
    }

    /// Records why the operation must stop (the first reason wins) and sends a cancel now.
    func requestCancel(_ why: CancelReason) {
        lock.withLock {
            if reason == nil { reason = why }
            sendCancelLocked()
        }
    }

    /// Re-sends the cancel if one was requested and the last one is older than `interval`.
    func resendCancelIfDue(interval: Duration) {
        lock.withLock {
            guard reason != nil, let lastCancel, ContinuousClock.now - lastCancel >= interval else { return }
            sendCancelLocked()
        }
    }

    private func sendCancelLocked() {
        guard running, !finished else { return }
        lastCancel = .now
        if let localCancel { return localCancel.refuseRequests(true) }
        // The result is irrelevant: a key with nothing pending ignores CANCEL.
        _ = handle.withDevice { fido_dev_cancel($0) }
    }
}
