@testable import ChildProcess
import Foundation
import Testing

/// `ChildProcess` with real children (`/bin/sh`): exit statuses, both outputs, input, and the
/// timeout, which must bound the whole run whatever the child does with its pipes.
@Suite struct ChildProcessTests {
    static let shell = "/bin/sh"

    @Test func collectsBothOutputsAndTheExitStatus() throws {
        let result = try ChildProcess.run(Self.shell, ["-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(30))
        #expect(result.exit == ChildProcess.Exit(status: 3, signal: nil))
        #expect(result.text == "out")
        #expect(String(decoding: result.stderr, as: UTF8.self) == "err\n")
    }

    @Test func feedsInput() throws {
        let input = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
        let result = try ChildProcess.run(Self.shell, ["-c", "cat"], input: input, timeout: .seconds(30))
        #expect(result.exit.succeeded && result.stdout == input)
    }

    @Test func aSignalIsReportedAsTheShellDoes() throws {
        let result = try ChildProcess.run(Self.shell, ["-c", "kill -KILL $$"], timeout: .seconds(30))
        #expect(result.exit == ChildProcess.Exit(status: 128 + SIGKILL, signal: SIGKILL))
    }

    @Test("the timeout stops a child that keeps its output open")
    func timeoutStopsAHangingChild() throws {
        let started = ContinuousClock.now
        let result = try ChildProcess.run(Self.shell, ["-c", "echo begun; sleep 20"], timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(10), "the timeout did not bound the run")
        #expect(result.exit.signal == SIGKILL)
        #expect(result.text == "begun")
    }

    @Test("the timeout also bounds a child that closed its output and keeps running")
    func timeoutStopsAChildWithoutOutput() throws {
        let started = ContinuousClock.now
        let result = try ChildProcess.run(Self.shell, ["-c", "exec >&- 2>&-; sleep 20"], timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(result.exit.signal == SIGKILL)
    }

    @Test("a child that exits while something it started holds its output returns by the timeout")
    func leftoverHoldingTheOutput() throws {
        let started = ContinuousClock.now
        let result = try ChildProcess.run(Self.shell, ["-c", "sleep 20 & echo done"], timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(10), "a leftover process held the run open")
        #expect(result.exit == ChildProcess.Exit(status: 0, signal: nil))
        #expect(result.text == "done")
    }

    @Test("a child that does not read its input neither blocks nor kills the caller")
    func unreadInput() throws {
        let result = try ChildProcess.run(Self.shell, ["-c", "exit 4"], input: Data(count: 4 << 20), timeout: .seconds(30))
        #expect(result.exit == ChildProcess.Exit(status: 4, signal: nil))
    }

    @Test("wait kills the child and what it started at the timeout")
    func waitKillsTheProcessGroupAtTheTimeout() async throws {
        let child = try ChildProcess.spawn(Self.shell, ["-c", "sleep 20; true"], stdout: .pipe, newProcessGroup: true)
        let started = ContinuousClock.now
        let exit = await child.exit(timeout: .milliseconds(200))
        #expect(exit.signal == SIGKILL && exit.status == 128 + SIGKILL)
        // The shell's sleep holds the pipe too: it ends only when sleep is gone as well.
        _ = child.stdout.map(FileDescriptorIO.readAll)
        #expect(ContinuousClock.now - started < .seconds(10), "the child's own child outlived the timeout")
    }

    @Test func signalsNeverReachAReapedChild() throws {
        let child = try ChildProcess.spawn(Self.shell, ["-c", "exit 7"])
        #expect(child.wait() == ChildProcess.Exit(status: 7, signal: nil))
        #expect(!child.isRunning)
        child.send(SIGKILL)  // a no-op: the id may belong to someone else by now
        #expect(child.wait() == ChildProcess.Exit(status: 7, signal: nil))
    }

    @Test func startsInADirectoryWithOnlyTheGivenEnvironment() throws {
        let result = try ChildProcess.run(
            Self.shell, ["-c", "pwd; echo \"$ONLY\"; env | wc -l"], environment: ["ONLY": "this"], directory: "/tmp",
            timeout: .seconds(30))
        let lines = result.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.count == 3 && lines[0] == "/tmp" && lines[1] == "this")
        #expect(Int(lines[2]).map { $0 <= 3 } == true, "the environment is exactly what was given")
    }

    @Test func aMissingExecutableFailsToStart() {
        #expect(throws: ChildProcess.SpawnError.self) { try ChildProcess.run("/nonexistent/tool", []) }
    }

    @Test func inheritsNoOtherDescriptors() throws {
        let result = try ChildProcess.run(Self.shell, ["-c", "ls /proc/self/fd | wc -l"], timeout: .seconds(30))
        // 0, 1, 2 and the directory ls itself opens.
        #expect(Int(result.text) == 4)
    }
}

@Suite struct ChildProcessDescriptorTests {
    /// The deadline timer must not hold a finished run's pipes until it fires.
    @Test func finishedRunsReleaseTheirPipesBeforeTheirDeadline() throws {
        func openDescriptors() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count }
        let before = try openDescriptors()
        // 300 runs would hold at least 600 pipe ends; the margin absorbs other suites' descriptors,
        // since every test of the package shares this process.
        for _ in 0..<300 {
            let output = try ChildProcess.run("/bin/true", [], timeout: .seconds(600))
            #expect(output.exit.succeeded)
        }
        #expect(try openDescriptors() < before + 250, "finished runs still hold their pipes")
    }
}
