import ChildProcess
import Foundation
import Testing

/// The `gitlab-sim` executable: URL on the first line of stdout, serves, exits on SIGTERM.
@Suite struct ExecutableTests {
    /// Built products live next to the running test binary (`.build/debug/` on Linux).
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("gitlab-sim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "gitlab-sim")
    }

    @Test func printsURLServesAndStopsOnSIGTERM() async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--seed", Fixtures.url("seed.json").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var reaped = false
        defer { if !reaped { process.terminate(); _ = ChildProcess.wait(for: process, timeout: .seconds(10)) } }
        let line = try #require(Self.firstLine(of: output.fileHandleForReading))
        #expect(line.hasPrefix("http://127.0.0.1:"))
        let response = try await TestHTTP(baseURL: line).get("/api/v4/users?username=alice")
        #expect(response.json?.arrayValue?.first?["id"]?.intValue == 2)
        process.terminate()
        let exit = ChildProcess.wait(for: process, timeout: .seconds(10))
        reaped = true
        #expect(exit.signal == nil && exit.status == 0)
    }

    @Test func faultFlagsApplyFromTheStart() async throws {
        let process = Process()
        process.executableURL = Self.executable
        let rule = #"{"route":{"method":"GET","path":"/api/v4/user"},"fault":{"kind":"status","status":503},"count":1}"#
        process.arguments = ["--seed", Fixtures.url("seed.json").path, "--fault", rule, "--host", "127.0.0.1"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); _ = ChildProcess.wait(for: process, timeout: .seconds(10)) }
        let line = try #require(Self.firstLine(of: output.fileHandleForReading))
        let http = TestHTTP(baseURL: line)
        #expect(try await http.get("/api/v4/user").status == 503)
        #expect(try await http.get("/api/v4/user").status == 401)
    }

    @Test func nonLoopbackHostIsRefused() throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--seed", Fixtures.url("seed.json").path, "--host", "0.0.0.0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let exit = ChildProcess.wait(for: process, timeout: .seconds(60))
        #expect(exit.status != 0)
        #expect(output.fileHandleForReading.readDataToEndOfFile().isEmpty, "no URL is printed")
    }

    @Test func missingSeedFailsWithNonZeroStatus() throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--seed", "/nonexistent/seed.json"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        #expect(ChildProcess.wait(for: process, timeout: .seconds(60)).status != 0)
    }

    /// Reads bytes up to the first newline (blocking; the simulator prints it at once).
    static func firstLine(of handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while bytes.count < 200 {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}
