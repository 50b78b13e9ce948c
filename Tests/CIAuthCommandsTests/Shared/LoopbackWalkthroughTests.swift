import ChildProcess
import Foundation
import Testing

/// README's "The same ten minutes without a GitLab or a key", as a newcomer runs it: the seed it
/// names, gitlab-sim and the virtual key as executables, ciauth on PATH for the job, the commands
/// in its order, the token and the "y" typed on a terminal. Only the port differs (a free one).
@Suite struct LoopbackWalkthroughTests {
    static let root = GeneratedFilesTests.packageRoot

    /// The README's commands this test runs; each must still be in its block as written.
    static let readmeCommands = [
        "gitlab-sim --seed docs/loopback-seed.json --port 8929 &",
        "ciauth-virtual-key --socket /tmp/ciauth-key.sock --touch after=1s &",
        "export CIAUTH_DEVICE=unix:/tmp/ciauth-key.sock",
        "ciauth auth login --server http://127.0.0.1:8929",
        "ciauth devices",
        "ciauth doctor --project acme/web",
        "ciauth enroll",
        "ciauth keys list",
        "ciauth approve http://127.0.0.1:8929/acme/web/-/jobs/4711",
        "curl -s -X POST 'http://127.0.0.1:8929/-/sim/jobs/4711/wait?timeout=60'",
    ]

    @Test func theReadmeCommandsApproveAndTheJobVerifies() async throws {
        let block = try Self.readmeBlock()
        for command in Self.readmeCommands { #expect(block.contains(command), "the README no longer says: \(command)") }

        let home = FileManager.default.temporaryDirectory.appendingPathComponent("walkthrough-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let port = try Self.freeLoopbackPort()
        let server = "http://127.0.0.1:\(port)"
        let seed = try String(contentsOf: Self.root.appendingPathComponent("docs/loopback-seed.json"), encoding: .utf8)
            .replacingOccurrences(of: "http://127.0.0.1:8929", with: server)
        let seedPath = home.appendingPathComponent("seed.json")
        try seed.write(to: seedPath, atomically: true, encoding: .utf8)

        let products = BuiltBinary.productsDirectory
        let path = products.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let sim = try ChildProcess.spawn(
            products.appendingPathComponent("gitlab-sim").path, ["--seed", seedPath.path, "--port", String(port)],
            environment: ProcessInfo.processInfo.environment.merging(["PATH": path]) { _, new in new }, stdout: .pipe)
        defer { sim.send(SIGTERM); sim.wait(timeout: .seconds(10)) }
        #expect(sim.stdout.flatMap { FileDescriptorIO.readLine($0, limit: 200) } == server)
        let key = try DevicesVirtualKey(["--touch", "after=1s"])
        defer { key.stop() }

        let environment = [
            "HOME": home.path, "XDG_CONFIG_HOME": home.path, "CIAUTH_DEVICE": key.address, "NO_COLOR": "1", "CIAUTH_SERVER": "",
            "CIAUTH_TOKEN": "", "GITLAB_HOST": "", "GITLAB_TOKEN": "", "CI_JOB_TOKEN": "", "CI_SERVER_URL": "",
        ]
        let ciauth = products.appendingPathComponent("ciauth").path
        func onTerminal(_ prompt: String, _ answer: String, _ arguments: [String]) async throws -> ApproveProcessResult {
            try await ApproveProcess.run(
                "/usr/bin/python3", [ApproveFixtures.path("pty-answer.py"), prompt, ciauth] + arguments,
                environment: environment, stdin: answer + "\n", timeout: .seconds(90))
        }
        func run(_ arguments: [String]) async throws -> BuiltBinary.Result {
            try await BuiltBinary(name: "ciauth").run(arguments, environment: environment)
        }

        let login = try await onTerminal("GitLab token for", "alice-token", ["auth", "login", "--server", server])
        #expect(login.status == 0 && login.stdout.contains("Logged in to \(server) as @alice"), "\(login.stdout)")
        let devices = try await run(["devices"])
        #expect(devices.status == 0 && devices.stdout.contains(key.address), "\(devices.stdout)\(devices.stderr)")
        let doctor = try await run(["doctor", "--project", "acme/web"])
        #expect(doctor.status == 0 && doctor.stdout.contains("WARN  credentials"), "\(doctor.stdout)")
        let enroll = try await run(["enroll"])
        #expect(enroll.status == 0, "\(enroll.stderr)")
        let keys = try await run(["keys", "list"])
        #expect(keys.status == 0 && keys.stdout.contains("alice  active"), "\(keys.stdout)")
        let approve = try await onTerminal("[y/N]", "y", ["approve", "\(server)/acme/web/-/jobs/4711"])
        #expect(approve.status == 0 && approve.stdout.contains("\(server)/acme/web/-/jobs/4711 pending"), "\(approve.stdout)")

        let waited = try await ApproveProcess.run(
            "/usr/bin/curl", ["-s", "-X", "POST", "\(server)/-/sim/jobs/4711/wait?timeout=60"], timeout: .seconds(90))
        let job = try #require(try JSONSerialization.jsonObject(with: Data(waited.stdout.utf8)) as? [String: Any])
        #expect(job["status"] as? String == "success", "\(job["log"] ?? "")")
        #expect((job["log"] as? String)?.contains("APPROVED by @alice with key SHA256:") == true, "\(job["log"] ?? "")")
    }

    /// The shell block under the README's loopback heading.
    static func readmeBlock() throws -> String {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "### The same ten minutes without a GitLab or a key"))
        let rest = readme[section.upperBound...]
        let start = try #require(rest.range(of: "```sh\n"))
        let end = try #require(rest[start.upperBound...].range(of: "```"))
        return String(rest[start.upperBound..<end.lowerBound])
    }

    /// A loopback port nothing listens on right now (bound, read back, released).
    static func freeLoopbackPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
