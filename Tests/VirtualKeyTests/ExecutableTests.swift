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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--socket", socketPath, "--touch", "wait"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var reaped = false
        defer { if !reaped { process.terminate(); _ = ChildProcess.wait(for: process, timeout: .seconds(10)) } }

        let firstLine = try #require(readLine(from: out.fileHandleForReading))
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

        process.terminate()
        let exit = ChildProcess.wait(for: process, timeout: .seconds(10))
        reaped = true
        #expect(exit.status == 0 && exit.signal == nil)
        #expect(!FileManager.default.fileExists(atPath: socketPath))
        #expect(!FileManager.default.fileExists(atPath: socketPath + ".ctl"))
        let banner = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(banner.contains("TEST device, not a security key"))
    }

    /// A signal sent the moment "listening on" appears must still end in a clean exit.
    @Test func sigintRightAfterStartExitsCleanly() throws {
        let directory = try TestKey.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socketPath = directory.appendingPathComponent("key.sock").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--socket", socketPath]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        var reaped = false
        defer { if !reaped { process.terminate(); _ = ChildProcess.wait(for: process, timeout: .seconds(10)) } }
        #expect(readLine(from: out.fileHandleForReading) == "listening on \(socketPath)")
        process.interrupt()
        let exit = ChildProcess.wait(for: process, timeout: .seconds(10))
        reaped = true
        #expect(exit.signal == nil && exit.status == 0)
        #expect(!FileManager.default.fileExists(atPath: socketPath))
    }

    private func readLine(from handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { return nil }
            if byte == 0x0a { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
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
