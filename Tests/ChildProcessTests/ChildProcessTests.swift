@testable import ChildProcess
import Foundation
import Testing

/// `ChildProcess` with real children (`/bin/sh`): exit statuses, both outputs, input, and the
/// timeout, which must bound the whole run whatever the child does with its pipes. Runs go
/// through `runOffPool`: a test waiting seconds for a child on the concurrency pool would stall
/// every other suite of the process (the pool has one thread per core).
@Suite struct ChildProcessTests {
    static let shell = "/bin/sh"
    /// A run the timeout ended takes far less than the child's own 60 s; the room above the 1 s
    /// timeout is for a machine busy with the rest of the suite.
    static let bound = Duration.seconds(30)

    @Test func collectsBothOutputsAndTheExitStatus() async throws {
        let result = try await ChildProcess.runOffPool(Self.shell, ["-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(30))
        #expect(result.exit == ChildProcess.Exit(status: 3, signal: nil))
        #expect(result.text == "out")
        #expect(String(decoding: result.stderr, as: UTF8.self) == "err\n")
    }

    @Test func feedsInput() async throws {
        let input = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
        let result = try await ChildProcess.runOffPool(Self.shell, ["-c", "cat"], input: input, timeout: .seconds(30))
        #expect(result.exit.succeeded && result.stdout == input)
    }

    @Test func aSignalIsReportedAsTheShellDoes() async throws {
        let result = try await ChildProcess.runOffPool(Self.shell, ["-c", "kill -KILL $$"], timeout: .seconds(30))
        #expect(result.exit == ChildProcess.Exit(status: 128 + SIGKILL, signal: SIGKILL))
    }

    @Test("the timeout stops a child that keeps its output open")
    func timeoutStopsAHangingChild() async throws {
        let started = ContinuousClock.now
        let result = try await ChildProcess.runOffPool(Self.shell, ["-c", "echo begun; sleep 60"], timeout: .seconds(1))
        #expect(ContinuousClock.now - started < Self.bound, "the timeout did not bound the run")
        #expect(result.exit.signal == SIGKILL)
        #expect(result.text == "begun")
    }

    @Test("the timeout also bounds a child that closed its output and keeps running")
    func timeoutStopsAChildWithoutOutput() async throws {
        let started = ContinuousClock.now
        let result = try await ChildProcess.runOffPool(Self.shell, ["-c", "exec >&- 2>&-; sleep 60"], timeout: .seconds(1))
        #expect(ContinuousClock.now - started < Self.bound)
        #expect(result.exit.signal == SIGKILL)
    }

    @Test("a child that exits while something it started holds its output returns by the timeout")
    func leftoverHoldingTheOutput() async throws {
        let started = ContinuousClock.now
        let result = try await ChildProcess.runOffPool(Self.shell, ["-c", "sleep 60 & echo done"], timeout: .seconds(1))
        #expect(ContinuousClock.now - started < Self.bound, "a leftover process held the run open")
        #expect(result.exit == ChildProcess.Exit(status: 0, signal: nil))
        #expect(result.text == "done")
    }

    @Test("a child that does not read its input neither blocks nor kills the caller")
    func unreadInput() async throws {
        let result = try await ChildProcess.runOffPool(Self.shell, ["-c", "exit 4"], input: Data(count: 4 << 20), timeout: .seconds(30))
        #expect(result.exit == ChildProcess.Exit(status: 4, signal: nil))
    }

    @Test("wait kills the child and what it started at the timeout")
    func waitKillsTheProcessGroupAtTheTimeout() async throws {
        let child = try ChildProcess.spawn(Self.shell, ["-c", "sleep 60; true"], stdout: .pipe, newProcessGroup: true)
        let started = ContinuousClock.now
        let exit = await child.exit(timeout: .milliseconds(200))
        #expect(exit.signal == SIGKILL && exit.status == 128 + SIGKILL)
        // The shell's sleep holds the pipe too: it ends only when sleep is gone as well.
        _ = child.stdout.map(FileDescriptorIO.readAll)
        #expect(ContinuousClock.now - started < Self.bound, "the child's own child outlived the timeout")
    }

    @Test func signalsNeverReachAReapedChild() throws {
        let child = try ChildProcess.spawn(Self.shell, ["-c", "exit 7"])
        #expect(child.wait() == ChildProcess.Exit(status: 7, signal: nil))
        #expect(!child.isRunning)
        child.send(SIGKILL)  // a no-op: the id may belong to someone else by now
        #expect(child.wait() == ChildProcess.Exit(status: 7, signal: nil))
    }

    @Test func startsInADirectoryWithOnlyTheGivenEnvironment() async throws {
        let result = try await ChildProcess.runOffPool(
            Self.shell, ["-c", "pwd; echo \"$ONLY\"; env | wc -l"], environment: ["ONLY": "this"], directory: "/tmp",
            timeout: .seconds(30))
        let lines = result.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.count == 3 && lines[0] == "/tmp" && lines[1] == "this")
        #expect(Int(lines[2]).map { $0 <= 3 } == true, "the environment is exactly what was given")
    }

    @Test func aMissingExecutableFailsToStart() {
        #expect(throws: ChildProcess.SpawnError.self) { try ChildProcess.run("/nonexistent/tool", []) }
    }

    @Test func inheritsNoOtherDescriptors() async throws {
        let result = try await ChildProcess.runOffPool(Self.shell, ["-c", "ls /proc/self/fd | wc -l"], timeout: .seconds(30))
        // 0, 1, 2 and the directory ls itself opens.
        #expect(Int(result.text) == 4)
    }
}

@Suite struct ChildProcessDescriptorTests {
    /// The deadline timer must not hold a finished run's pipes until it fires. Checked on the
    /// pipe itself (its inode), not on the process's count of descriptors, which every other
    /// suite of this process moves at the same time.
    @Test func finishedRunsReleaseTheirPipesBeforeTheirDeadline() throws {
        var descriptor: Int32 = -1
        var pipe = stat()
        do {
            let child = try ChildProcess.spawn("/bin/true", [], stdout: .pipe)
            child.kill(after: .seconds(600))
            descriptor = try #require(child.stdout)
            #expect(fstat(descriptor, &pipe) == 0)
            _ = FileDescriptorIO.readAll(descriptor)
            #expect(child.wait().succeeded)
        }
        // Closed, or the number already reused for something else.
        var now = stat()
        let stillOpen = fstat(descriptor, &now) == 0 && now.st_ino == pipe.st_ino && now.st_dev == pipe.st_dev
        #expect(!stillOpen, "a finished run still holds its pipe until the deadline")
    }
}

@Suite struct ChildProcessPoolTests {
    /// More waiting runs than a two-thread pool (CI's) has threads: a short sleep beside them still
    /// ends on time, where a blocking `run` on each pool thread would hold it until the children
    /// exit. The pool is a private one, so the other suites' load cannot decide the outcome.
    @Test func waitingRunsLeaveThePoolFree() async throws {
        let pool = ThreadPoolExecutor(threads: 2)
        defer { pool.shutdown() }
        try await withTaskExecutorPreference(pool) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Each child sleeps 3 s; the 300 ms sleep below resumes only when a pool thread is free.
                for _ in 0..<6 {
                    group.addTask { _ = try await ChildProcess.runOffPool("/bin/sleep", ["3"], timeout: .seconds(30)) }
                }
                let started = ContinuousClock.now
                try await Task.sleep(for: .milliseconds(300))
                // Blocking runs would hold it 9 s (six 3 s children, two threads); the margin is for load.
                #expect(ContinuousClock.now - started < .seconds(5), "the waiting runs held the pool")
                try await group.waitForAll()
            }
        }
    }
}

/// A task executor of a fixed number of threads, standing in for the cooperative pool of a
/// two-core machine.
final class ThreadPoolExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    init(threads: Int) {
        for _ in 0..<threads { Thread.detachNewThread { [self] in work() } }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    func shutdown() {
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    private func work() {
        while let job = next() { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    private func next() -> UnownedJob? {
        condition.withLock {
            while jobs.isEmpty && !stopping { condition.wait() }
            return jobs.isEmpty ? nil : jobs.removeFirst()
        }
    }
}
