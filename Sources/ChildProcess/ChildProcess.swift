import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process to completion and reaps it with `waitpid`.
///
/// Foundation's `Process.waitUntilExit` on Linux can miss the exit of one of many concurrent
/// children and spin forever; every place that waits for a child goes through here instead.
public enum ChildProcess {
    /// How a child ended.
    public struct Exit: Sendable, Hashable {
        /// The exit code, or 128 + the signal number when a signal ended it (the shell's convention).
        public let status: Int32
        /// The signal that ended the child, if one did.
        public let signal: Int32?

        public var succeeded: Bool { status == 0 && signal == nil }
    }

    /// What a finished child wrote.
    public struct Output: Sendable {
        public let exit: Exit
        public let stdout: Data
        public let stderr: Data

        public var status: Int32 { exit.status }
        /// Standard output as UTF-8 with surrounding whitespace removed.
        public var text: String {
            String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Runs `executable` with `arguments`, feeding `input` (or nothing) on standard input, and
    /// collects both outputs. `environment` nil inherits this process's. Throws only when the
    /// child cannot be started. The `timeout` counts from the start and bounds the whole run: the
    /// child is killed then, and so is anything it started that still holds its output open.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
        directory: URL? = nil, input: Data? = nil, timeout: Duration? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        // Input comes from an unlinked file, not a pipe: a child that never reads it can then
        // neither block a writer nor make this process die of SIGPIPE.
        process.standardInput = try input.map(inputFile) ?? FileHandle.nullDevice
        let deadline = timeout.map { ContinuousClock.now + $0 }
        try process.run()
        // Both pipes are drained at once so a child filling one of them cannot block.
        let output = Drain(stdout.fileHandleForReading)
        let errors = Drain(stderr.fileHandleForReading)
        let exit = wait(for: process, deadline: deadline)
        if let deadline, !output.ends(by: deadline) || !errors.ends(by: deadline) {
            // The child is gone, but something it started (same process group) holds the pipes.
            _ = kill(-process.processIdentifier, SIGKILL)
        }
        return Output(exit: exit, stdout: output.finish(), stderr: errors.finish())
    }

    /// `input` in a file that is already unlinked, positioned at its start.
    private static func inputFile(_ input: Data) throws -> FileHandle {
        var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("child-input-XXXXXX").path.utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        unlink(template)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: input)
        try handle.seek(toOffset: 0)
        return handle
    }

    /// `wait(for:timeout:)` on a thread of its own, so an async caller blocks neither its
    /// executor nor the shared dispatch pool.
    public static func exit(of process: Process, timeout: Duration? = nil) async -> Exit {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: wait(for: process, timeout: timeout)) }.start()
        }
    }

    /// Waits for a started child and reaps it. With a `timeout`, a child still running then is
    /// killed with SIGKILL, with its process group (Foundation starts each child as a group leader).
    public static func wait(for process: Process, timeout: Duration? = nil) -> Exit {
        wait(for: process, deadline: timeout.map { ContinuousClock.now + $0 })
    }

    private static func wait(for process: Process, deadline: ContinuousClock.Instant?) -> Exit {
        let pid = process.processIdentifier
        // Not started: waitpid(0) would reap any child of this process group.
        guard pid > 0 else { return Exit(status: 127, signal: nil) }
        var status: Int32 = 0
        var reaped: Int32
        if let deadline {
            repeat {
                reaped = waitpid(pid, &status, WNOHANG)
                if reaped == 0 {
                    if ContinuousClock.now >= deadline {
                        _ = kill(-pid, SIGKILL)
                        _ = kill(pid, SIGKILL)
                        return wait(for: process, deadline: nil)
                    }
                    usleep(2_000)
                }
            } while reaped == 0 || (reaped == -1 && errno == EINTR)
        } else {
            repeat { reaped = waitpid(pid, &status, 0) } while reaped == -1 && errno == EINTR
        }
        guard reaped == pid else {
            // Foundation reaped it first, so it knows how it ended.
            process.waitUntilExit()
            let signalled = process.terminationReason == .uncaughtSignal
            let code = process.terminationStatus
            return Exit(status: signalled ? 128 + code : code, signal: signalled ? code : nil)
        }
        let signal = status & 0x7f
        return signal == 0 ? Exit(status: (status >> 8) & 0xff, signal: nil) : Exit(status: 128 + signal, signal: signal)
    }
}

/// Reads a pipe to its end on a thread of its own: a read blocked on the shared dispatch pool
/// would starve it when many children run at once.
private final class Drain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            try? handle.close()
            self.done.signal()
        }.start()
    }

    /// Whether the pipe reached its end by `deadline`.
    func ends(by deadline: ContinuousClock.Instant) -> Bool {
        let left = ContinuousClock.now.duration(to: deadline)
        let nanoseconds = max(0, left.components.seconds) * 1_000_000_000 + max(0, left.components.attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success else { return false }
        done.signal()
        return true
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}
