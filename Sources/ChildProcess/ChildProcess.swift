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
    /// child cannot be started.
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
        let stdin = input == nil ? nil : Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        // Both pipes are drained at once so a child filling one of them cannot block.
        let errors = Drain(stderr.fileHandleForReading)
        if let stdin, let input {
            let writer = stdin.fileHandleForWriting
            DispatchQueue.global().async {
                try? writer.write(contentsOf: input)
                try? writer.close()
            }
        }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let exit = wait(for: process, timeout: timeout)
        try? stdout.fileHandleForReading.close()
        return Output(exit: exit, stdout: out, stderr: errors.finish())
    }

    /// `wait(for:timeout:)` on a dispatch thread, so an async caller does not block its executor.
    public static func exit(of process: Process, timeout: Duration? = nil) async -> Exit {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: wait(for: process, timeout: timeout)) }
        }
    }

    /// Waits for a started child and reaps it. With a `timeout`, a child still running then is
    /// killed with SIGKILL.
    public static func wait(for process: Process, timeout: Duration? = nil) -> Exit {
        let pid = process.processIdentifier
        var status: Int32 = 0
        var reaped: Int32
        if let timeout {
            let deadline = ContinuousClock.now + timeout
            repeat {
                reaped = waitpid(pid, &status, WNOHANG)
                if reaped == 0 {
                    if ContinuousClock.now >= deadline {
                        kill(pid, SIGKILL)
                        return wait(for: process, timeout: nil)
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

/// Reads a pipe to its end on a background thread.
private final class Drain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            try? handle.close()
            self.done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}
