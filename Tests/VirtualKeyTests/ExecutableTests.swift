import ChildProcess
import Foundation
import Testing
@testable import VirtualKey
#if canImport(Glibc)
import Glibc
#endif

/// The built `ciauth-virtual-key` executable: flags, banner, control socket, clean exit.
@Suite struct ExecutableTests {
    static var executable: String {
        ProcessRunner.productsDirectory.appendingPathComponent("ciauth-virtual-key").path
    }

    @Test func refusesToStartWithoutSocket() throws {
        let result = try ProcessRunner.run(Self.executable, [])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--socket"))
    }

    @Test(arguments: [["--touch", "sometimes"], ["--attestation", "fancy"], ["--fault", "explode"], ["--aaguid", "nope"], ["--fault-on", "getInfo"]])
    func rejectsBadFlags(_ flags: [String]) throws {
        let result = try ProcessRunner.run(Self.executable, ["--socket", "/tmp/unused-\(UUID().uuidString.prefix(6)).sock"] + flags)
        #expect(result.status != 0)
    }

    @Test func printsAttestationRootCA() throws {
        let result = try ProcessRunner.run(Self.executable, ["--print-attestation-ca"])
        #expect(result.status == 0)
        #expect(result.stdout == TestAttestation.rootCertificatePEM)
    }

    @Test func servesWaitsForControlTouchAndExitsOnSIGTERM() throws {
        let directory = try TestKey.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socketPath = directory.appendingPathComponent("key.sock").path
        let child = try ChildProcess.spawn(Self.executable, ["--socket", socketPath, "--touch", "wait"], stdout: .pipe, stderr: .pipe)
        defer { child.send(SIGKILL); child.wait() }
        let banner = Drain(child.stderr)

        let firstLine = try #require(child.stdout.flatMap { FileDescriptorIO.readLine($0) })
        #expect(firstLine == "listening on \(socketPath)")

        let client = try RawKeyClient(path: socketPath)
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x01] + CBOREncoder.encode(Requests.makeCredential()))
        let control = try RawKeyClient(path: socketPath + ".ctl")
        #expect(try waitUntil { controlCommand(control, "status") == "waiting" })
        #expect(controlCommand(control, "touch") == "ok")
        #expect(try client.receiveMessage(channel: channel).payload.first == 0x00)
        #expect(controlCommand(control, "status") == "idle")
        #expect(controlCommand(control, "bogus") == "error unknown command")

        child.send(SIGTERM)
        let exit = child.wait(timeout: .seconds(10))
        #expect(exit.status == 0 && exit.signal == nil)
        #expect(!FileManager.default.fileExists(atPath: socketPath))
        #expect(!FileManager.default.fileExists(atPath: socketPath + ".ctl"))
        #expect(String(decoding: banner.finish(), as: UTF8.self).contains("TEST device, not a security key"))
    }

    /// Started twice on one path (a walk-through run again), the second key must not take the
    /// socket from the first; a socket file nobody serves (a key that was killed) is replaced.
    @Test func aLiveSocketIsNotTakenOverAStaleOneIs() throws {
        let directory = try TestKey.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socketPath = directory.appendingPathComponent("key.sock").path
        let first = try ChildProcess.spawn(Self.executable, ["--socket", socketPath], stdout: .pipe)
        defer { first.send(SIGKILL); first.wait() }
        #expect(first.stdout.flatMap { FileDescriptorIO.readLine($0) } == "listening on \(socketPath)")

        let second = try ProcessRunner.run(Self.executable, ["--socket", socketPath])
        #expect(second.status != 0)
        #expect(second.stderr.contains("another program is serving \(socketPath) ("), "\(second.stderr)")
        let client = try RawKeyClient(path: socketPath)
        #expect(try client.allocateChannel() != 0, "the first key still answers on its socket")

        first.send(SIGKILL)
        first.wait()
        #expect(FileManager.default.fileExists(atPath: socketPath), "a killed key leaves its socket file")
        let third = try ChildProcess.spawn(Self.executable, ["--socket", socketPath], stdout: .pipe)
        defer { third.send(SIGTERM); third.wait(timeout: .seconds(10)) }
        #expect(third.stdout.flatMap { FileDescriptorIO.readLine($0) } == "listening on \(socketPath)")
    }

    /// A signal sent the moment "listening on" appears must still end in a clean exit.
    @Test func sigintRightAfterStartExitsCleanly() throws {
        let directory = try TestKey.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socketPath = directory.appendingPathComponent("key.sock").path
        let child = try ChildProcess.spawn(Self.executable, ["--socket", socketPath], stdout: .pipe)
        defer { child.send(SIGKILL); child.wait() }
        #expect(child.stdout.flatMap { FileDescriptorIO.readLine($0) } == "listening on \(socketPath)")
        child.send(SIGINT)
        // Generous: on a loaded 2-core machine the clean shutdown has taken more than 10 s.
        let exit = child.wait(timeout: .seconds(60))
        #expect(exit.signal == nil && exit.status == 0)
        #expect(!FileManager.default.fileExists(atPath: socketPath))
    }


    private func controlCommand(_ control: RawKeyClient, _ line: String) -> String? {
        _ = UnixSocket.writeAll(control.fd, Array((line + "\n").utf8))
        var answer: [UInt8] = []
        while !answer.contains(0x0a) {
            guard case .data(let bytes) = UnixSocket.readSome(control.fd, upTo: 64, timeoutMs: 5000) else { return nil }
            answer += bytes
        }
        return String(decoding: answer.prefix { $0 != 0x0a }, as: UTF8.self)
    }
}
