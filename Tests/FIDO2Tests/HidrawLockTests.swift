import Foundation
import Testing

@testable import FIDO2

/// The exclusive `flock` a hidraw open takes, on a plain file standing in for the node (flock
/// works the same on any file). Another program holding it is waited for as libfido2 does.
@Suite struct HidrawLockTests {
    /// Takes the lock through a separate open file description, as another program would.
    private func holdLock(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw FIDO2Error(.internalError, "cannot lock \(path)") }
        return fd
    }

    /// The open sleeps between attempts, as it does on a device thread; here it runs on a thread
    /// of its own, since two seconds of sleep on the concurrency pool would hold one of its
    /// threads (one per core) from every other suite.
    @Test func waitsForAProgramThatReleasesTheKeyAfterTwoSeconds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let node = directory.file("hidraw0")
        #expect(FileManager.default.createFile(atPath: node, contents: Data()))
        let holder = try holdLock(node)
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { close(holder) }
        let start = ContinuousClock.now
        let opened: Result<Int32, FIDO2Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { () throws(FIDO2Error) -> Int32 in
                    try ReportChannel.openHidraw(node, address: DeviceAddress(hidrawPath: node))
                })
            }
        }
        close(try opened.get())
        #expect(ContinuousClock.now - start >= .seconds(1.9))
    }

    @Test func givesUpWithABusyMessageWhenTheWaitRunsOut() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let node = directory.file("hidraw0")
        #expect(FileManager.default.createFile(atPath: node, contents: Data()))
        let holder = try holdLock(node)
        defer { close(holder) }
        let error = #expect(throws: FIDO2Error.self) {
            try ReportChannel.openHidraw(
                node, address: DeviceAddress(hidrawPath: node), lockRetryDelays: [.milliseconds(50), .milliseconds(50)])
        }
        #expect(error?.kind == .deviceBusy)
        #expect(error?.message.contains("is busy: another program") == true)
    }

    @Test func theScheduleIsLibfido2s() {
        #expect(ReportChannel.lockRetryDelays.count == 20)
        #expect(ReportChannel.lockRetryDelays.reduce(.zero, +) == .seconds(21))
    }
}
