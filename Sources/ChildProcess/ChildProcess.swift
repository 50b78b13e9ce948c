import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs child processes with `posix_spawn` and reaps them with `waitid`/`waitpid`.
///
/// Foundation's `Process` is avoided on purpose: on Linux its `waitUntilExit` can miss the exit
/// of one of many concurrent children and spin forever, and its `FileHandle` reads stop the
/// program when a signal interrupts them. Every child of the product and of the tests goes
/// through here.
///
/// swift-subprocess 1.0.2 was measured against these tests and not adopted. It kept up with
/// 27,500 concurrent children (up to 500 at once, a tenth killed by timeouts) with no lost exit,
/// zombie or leaked descriptor, but a child that exits without reading its input kills the caller
/// with SIGPIPE or, with SIGPIPE ignored, stops it in a fatal error (14 of 14 runs; upstream issue
/// swiftlang/swift-subprocess#367), and running out of descriptors ends in the same fatal error
/// instead of a thrown one. Its timeouts are task cancellation only, which leaves what the child
/// started running past the deadline, and it adds two packages and about 25 s to a clean build.
/// Worth measuring again once that issue is fixed.
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

    /// Runs `executable` (an absolute path) with `arguments`, feeding `input` (or nothing) on
    /// standard input, and collects both outputs. `environment` nil inherits this process's. A
    /// child still running after `timeout` is killed. Throws only when it cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, input: Data? = nil, timeout: Duration? = nil
    ) throws(SpawnError) -> Output {
        // A group of its own: the deadline also ends whatever the child started, which may hold
        // the pipes open after the child itself has gone (it is reaped only after both pipes end,
        // so its group cannot be recycled before then).
        let child = try spawn(
            executable, arguments, environment: environment, directory: directory,
            stdin: input == nil ? .null : .pipe, stdout: .pipe, stderr: .pipe, newProcessGroup: true)
        if let timeout { child.kill(after: timeout) }
        // Both pipes are drained at once so a child filling one of them cannot block.
        let errors = Drain(child.stderr)
        if let input {
            // A child that exits without reading its input must not take this process down with
            // SIGPIPE (children get the default disposition back).
            _ = signal(SIGPIPE, SIG_IGN)
            Thread.detachNewThread {
                if let fd = child.stdin { FileDescriptorIO.writeAll(input, to: fd) }
                child.closeStdin()
            }
        }
        let out = child.stdout.map(FileDescriptorIO.readAll) ?? Data()
        let err = errors.finish()
        return Output(exit: child.wait(), stdout: out, stderr: err)
    }
}

extension ChildProcess {
    /// `run` on a thread of its own: an async caller waiting for a child (a download, a compiler,
    /// a tool talking to an in-process server) must not hold a thread of the concurrency pool,
    /// which has one per core and is what in-process servers and every other task answer on.
    public static func runOffPool(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, input: Data? = nil, timeout: Duration? = nil
    ) async throws(SpawnError) -> Output {
        let result: Result<Output, SpawnError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { () throws(SpawnError) -> Output in
                    try run(executable, arguments, environment: environment, directory: directory, input: input, timeout: timeout)
                })
            }
        }
        return try result.get()
    }
}

extension ChildProcess.Exit {
    /// From a `waitpid` status.
    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7f
        self.init(status: signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal, signal: signal == 0 ? nil : signal)
    }
}

/// Reads a descriptor to its end on a thread of its own.
public final class Drain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    public init(_ fd: Int32?) {
        guard let fd else {
            done.signal()
            return
        }
        Thread.detachNewThread {
            self.data = FileDescriptorIO.readAll(fd)
            self.done.signal()
        }
    }

    /// Waits for the end of file and returns everything read.
    public func finish() -> Data {
        done.wait()
        return data
    }
}
