@testable import ChildProcess
import Foundation
import Testing

/// `ChildProcess` with real children (`/bin/sh`): exit statuses, both outputs, input, and the
/// timeout, which must bound the whole run whatever the child does with its pipes.
@Suite struct ChildProcessTests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

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
        let process = Process()
        process.executableURL = Self.shell
        process.arguments = ["-c", "sleep 20; true"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = ContinuousClock.now
        let exit = await ChildProcess.exit(of: process, timeout: .milliseconds(200))
        #expect(exit.signal == SIGKILL && exit.status == 128 + SIGKILL)
        // The shell's sleep holds the pipe too: it ends only when sleep is gone as well.
        _ = pipe.fileHandleForReading.readDataToEndOfFile()
        #expect(ContinuousClock.now - started < .seconds(10), "the child's own child outlived the timeout")
    }
}
