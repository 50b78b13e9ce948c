import CFIDO2
import Foundation

/// The dedicated thread that performs every libfido2 call for one device.
///
/// libfido2 keeps its debug and U2F-fallback state per thread, and its calls block; each open
/// device therefore gets one thread, `fido_init` runs once on it, and jobs run there in order.
/// The only libfido2 call made from elsewhere is `fido_dev_cancel` (see `PendingOperation`).
final class DeviceWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [self] in runLoop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the device thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws(FIDO2Error) -> T) async throws(FIDO2Error) -> T {
        try FIDO2Library.require()
        let result: Result<T, FIDO2Error> = await withCheckedContinuation { continuation in
            let accepted = enqueue {
                do throws(FIDO2Error) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            if !accepted {
                continuation.resume(returning: .failure(FIDO2Error(.deviceIO, "The device connection is closed.")))
            }
        }
        return try result.get()
    }

    /// Queues a job; returns false once the worker is stopping.
    @discardableResult
    func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Lets queued jobs finish, then ends the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        fido_init(0)  // honours FIDO_DEBUG from the environment
        while let job = nextJob() { job() }
    }

    private func nextJob() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !stopping { condition.wait() }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }
}
