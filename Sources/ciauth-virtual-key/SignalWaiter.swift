#if canImport(Glibc)
import Glibc
#endif

/// The write end of the self-pipe, for the signal handler (which may touch only global state).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Catches SIGTERM and SIGINT with a plain handler that writes to a pipe. The handler is in place
/// when `init` returns, so a signal sent right after "listening on" is never lost: a Dispatch
/// signal source registers asynchronously, and a signal ignored in the meantime was dropped.
final class SignalWaiter {
    private let readEnd: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        readEnd = ends[0]
        signalPipeWriteEnd = ends[1]
        guard readEnd >= 0 else { return }  // keep the default action: the signal still ends the key
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber) { _ in
                var byte: UInt8 = 1
                _ = write(signalPipeWriteEnd, &byte, 1)  // async-signal-safe
            }
        }
    }

    /// Blocks until one of the signals arrives.
    func wait() {
        guard readEnd >= 0 else {
            while true { pause() }  // no pipe: the signal's default action ends the process
        }
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
    }
}
