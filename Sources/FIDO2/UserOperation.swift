import CFIDO2
import Foundation

extension FIDO2Device {
    /// Extra time libfido2 itself waits after ciauth's deadline, should the key ignore CANCEL.
    static let backstopGrace: Duration = .seconds(5)

    /// Runs one operation that may wait for the user, with the touch announcement, the deadline
    /// and cancellation wired up:
    /// - a KEEPALIVE(UPNEEDED) from the key, or a reply late by `touchFallbackDelay`,
    ///   reports `waitingForTouch` once;
    /// - at the deadline, or when the calling Task is cancelled, `fido_dev_cancel` is sent (and
    ///   repeated until the call returns); the key answers KEEPALIVE_CANCEL and the connection
    ///   stays usable. libfido2's own timeout is only a backstop `backstopGrace` later; if it fires
    ///   the connection is marked unusable (a stale reply may still arrive).
    /// - a U2F-only key cannot be cancelled (libfido2 refuses `fido_dev_cancel` and polls the key
    ///   every 100 ms until touched): the deadline and the task's cancellation refuse its next
    ///   poll instead, so it ends within about 100 ms as "not touched in time" or "cancelled",
    ///   and the connection stays usable.
    func runUserOperation<T: Sendable>(
        purpose: TouchPurpose, timeout: Duration, events: DeviceEventHandler?,
        _ body: @escaping @Sendable (OpaquePointer, PendingOperation) throws(FIDO2Error) -> T
    ) async throws(FIDO2Error) -> T {
        try checkUsable()
        let operation = PendingOperation(handle: handle, localCancel: info.isFIDO2 ? nil : channel)
        if !info.isFIDO2 { channel.refuseRequests(from: .now + timeout) }
        defer { channel.refuseRequests(false) }
        let announcer = TouchAnnouncer(device: address, purpose: purpose, handler: events)
        if events != nil {
            channel.observeUserPresenceNeeded { @Sendable in announcer.announce() }
        }
        defer { channel.observeUserPresenceNeeded(nil) }
        let watchdog = OperationWatchdog(
            operation, announcer: events == nil ? nil : announcer, fallbackDelay: touchFallbackDelay, timeout: timeout)
        defer { watchdog.stop() }
        let (handle, worker) = (self.handle, self.worker)
        let result: Result<T, FIDO2Error> = await withTaskCancellationHandler {
            do throws(FIDO2Error) {
                return .success(
                    try await worker.run { () throws(FIDO2Error) -> T in
                        guard operation.start() else { throw FIDO2Error(.cancelled, "Cancelled before it started.") }
                        defer { operation.finish() }
                        try handle.setTimeout(timeout + Self.backstopGrace)
                        defer { try? handle.setTimeout(DeviceHandle.exchangeTimeout) }
                        return try handle.withDevice { device throws(FIDO2Error) -> T in try body(device, operation) }
                    })
            } catch {
                return .failure(error)
            }
        } onCancel: {
            operation.requestCancel(.task)
        }
        switch result {
        case .success(let value): return value
        case .failure(let error):
            throw interpret(
                error, cancelReason: operation.cancelReason, stoppedLocally: channel.refusedARequest, timeout: timeout)
        }
    }

    /// Turns the aftermath of a cancel into the error the user should see.
    /// `stoppedLocally`: a U2F key's polling was ended by refusing its next request, so the
    /// FIDO_ERR_TX that follows is the cancel itself, and the connection is still in step.
    private func interpret(
        _ error: FIDO2Error, cancelReason: PendingOperation.CancelReason?, stoppedLocally: Bool, timeout: Duration
    ) -> FIDO2Error {
        let ioFailure = (error.code == -1 || error.code == -2) && !stoppedLocally
        if ioFailure { markBroken() }
        // A refusal nobody asked for is the U2F deadline in the write hook.
        guard let cancelReason = cancelReason ?? (stoppedLocally ? .deadline : nil) else { return error }
        let cancelOutcome = ioFailure || stoppedLocally || error.kind == .cancelled || error.kind == .actionTimeout
        guard cancelOutcome else { return error }
        var context = self.context
        switch cancelReason {
        case .deadline where ioFailure:
            return FIDO2Error(
                .deviceIO,
                "The security key \(address) stopped answering (not even to a cancel); the connection was dropped. Replug the key and retry.",
                code: error.code, call: error.call, device: address.description)
        case .deadline:
            context.deadlineSeconds = Double(timeout.components.seconds)
                + Double(timeout.components.attoseconds) / 1e18
            return FIDO2Error.libfido2(0x2d, call: error.call ?? "fido_dev_cancel", context: context)
        case .task:
            return FIDO2Error(
                .cancelled, "The operation on the security key \(address) was cancelled.", code: error.code,
                call: error.call, device: address.description)
        }
    }
}
