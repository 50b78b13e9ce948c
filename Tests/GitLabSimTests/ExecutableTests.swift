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
        let child = try ChildProcess.spawn(Self.executable.path, ["--seed", Fixtures.url("seed.json").path], stdout: .pipe)
        defer { child.send(SIGKILL); child.wait() }
        let line = try #require(child.stdout.flatMap { FileDescriptorIO.readLine($0, limit: 200) })
        #expect(line.hasPrefix("http://127.0.0.1:"))
        let response = try await TestHTTP(baseURL: line).get("/api/v4/users?username=alice")
        #expect(response.json?.arrayValue?.first?["id"]?.intValue == 2)
        child.send(SIGTERM)
        let exit = child.wait(timeout: .seconds(10))
        #expect(exit.signal == nil && exit.status == 0)
    }

    @Test func faultFlagsApplyFromTheStart() async throws {
        let rule = #"{"route":{"method":"GET","path":"/api/v4/user"},"fault":{"kind":"status","status":503},"count":1}"#
        let child = try ChildProcess.spawn(
            Self.executable.path, ["--seed", Fixtures.url("seed.json").path, "--fault", rule, "--host", "127.0.0.1"], stdout: .pipe)
        defer { child.send(SIGTERM); child.wait(timeout: .seconds(10)) }
        let line = try #require(child.stdout.flatMap { FileDescriptorIO.readLine($0, limit: 200) })
        let http = TestHTTP(baseURL: line)
        #expect(try await http.get("/api/v4/user").status == 503)
        #expect(try await http.get("/api/v4/user").status == 401)
    }

    @Test func nonLoopbackHostIsRefused() throws {
        let result = try ChildProcess.run(
            Self.executable.path, ["--seed", Fixtures.url("seed.json").path, "--host", "0.0.0.0"], timeout: .seconds(60))
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty, "no URL is printed")
    }

    /// A refused seed is one line on stderr: nothing was listening yet, so nothing is shut down late.
    @Test func anInvalidSeedSaysWhyAndNothingElse() throws {
        let seed = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: seed) }
        try Data(#"{"users": [{"id": 2, "username": "alice", "name": "A", "keys": [{"title": "yubikey", "key": "sk-ssh-ed25519@openssh.com AAAA..."}]}]}"#.utf8)
            .write(to: seed)
        let result = try ChildProcess.run(Self.executable.path, ["--seed", seed.path], timeout: .seconds(60))
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        #expect(result.status != 0)
        #expect(stderr.contains("invalid seed: key yubikey: not an OpenSSH public key line"), "\(stderr)")
        #expect(!stderr.contains("EventLoop"), "\(stderr)")
    }

    @Test func missingSeedFailsWithNonZeroStatus() throws {
        #expect(try ChildProcess.run(Self.executable.path, ["--seed", "/nonexistent/seed.json"], timeout: .seconds(60)).status != 0)
    }
}
