import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A started child process and this side of its pipes. It is reaped exactly once, under a lock,
/// so a signal sent through it can never reach a recycled process id.
public final class Child: @unchecked Sendable {
    public let pid: pid_t
    /// Whether the child leads a process group of its own (signals then go to the whole group).
    public let leadsGroup: Bool
    private let lock = NSLock()
    private var exitStatus: ChildProcess.Exit?
    private var descriptors: [Int32?]

    init(pid: pid_t, leadsGroup: Bool, stdin: Int32?, stdout: Int32?, stderr: Int32?) {
        self.pid = pid
        self.leadsGroup = leadsGroup
        descriptors = [stdin, stdout, stderr]
    }

    deinit {
        for fd in descriptors.compactMap({ $0 }) { close(fd) }
    }

    /// The write end of the child's standard input, when it is a pipe.
    public var stdin: Int32? { lock.withLock { descriptors[0] } }
    /// The read end of the child's standard output, when it is a pipe.
    public var stdout: Int32? { lock.withLock { descriptors[1] } }
    /// The read end of the child's standard error, when it is a pipe of its own.
    public var stderr: Int32? { lock.withLock { descriptors[2] } }

    /// Closes the child's standard input, so it reads end of file.
    public func closeStdin() {
        lock.withLock {
            if let fd = descriptors[0] { close(fd) }
            descriptors[0] = nil
        }
    }

    /// How it ended, once reaped.
    public var exit: ChildProcess.Exit? { lock.withLock { exitStatus } }

    /// Whether it has not exited yet (does not reap).
    public var isRunning: Bool {
        if exit != nil { return false }
        var info = siginfo_t()
        while true {
            let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG)
            if result == 0 { return info._sifields._sigchld.si_pid != pid }
            if errno != EINTR { return false }
        }
    }

    /// Sends `signal` to the child (to its group when it leads one), unless it is already reaped.
    public func send(_ signal: Int32) {
        lock.withLock {
            guard exitStatus == nil else { return }
            _ = Glibc.kill(leadsGroup ? -pid : pid, signal)
        }
    }

    /// Kills the child with SIGKILL if it is still there after `timeout`, while the caller holds
    /// this value. The timer does not keep it alive: a finished run's pipes close when the caller
    /// lets go, not when the deadline passes (10,000 short runs otherwise held 18,000 descriptors).
    public func kill(after timeout: Duration) {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [weak self] in self?.send(SIGKILL) }
    }

    /// Blocks until the child exits and reaps it; with a `timeout`, kills it first if it is still
    /// running then.
    @discardableResult
    public func wait(timeout: Duration? = nil) -> ChildProcess.Exit {
        if let timeout { kill(after: timeout) }
        var info = siginfo_t()
        while true {
            if let exit { return exit }
            // Wait without reaping, then reap under the lock that `send` takes.
            let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT)
            if result == -1, errno == EINTR { continue }
            return lock.withLock {
                if let exitStatus { return exitStatus }
                var status: Int32 = 0
                var reaped: pid_t
                repeat { reaped = waitpid(pid, &status, result == 0 ? 0 : WNOHANG) } while reaped == -1 && errno == EINTR
                // Reaped elsewhere (no child of ours any more): report a failure rather than hang.
                let exit = reaped == pid ? ChildProcess.Exit(waitStatus: status) : ChildProcess.Exit(waitStatus: 0xff00)
                exitStatus = exit
                return exit
            }
        }
    }

    /// `wait(timeout:)` on a thread of its own, so an async caller does not block the concurrency pool.
    public func exit(timeout: Duration? = nil) async -> ChildProcess.Exit {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.wait(timeout: timeout)) }
        }
    }
}
