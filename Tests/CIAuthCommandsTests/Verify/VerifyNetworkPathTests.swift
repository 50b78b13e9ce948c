import Foundation
import NetworkTestSupport
import Testing

/// `ciauth verify` takes its network path only from the pipeline definition: the proxy and CA
/// variables a job variable can set are never used, and a proxy given with `--proxy` cannot
/// read the job token by terminating TLS.
@Suite("ciauth verify: network path", .serialized)
struct VerifyNetworkPathTests {
    let ciauth = BuiltBinary(name: "ciauth")
    static let jobToken = "job-token-secret-4711"

    /// Runs verify pinned to `server` as a job would, with `extraEnvironment` and `flags`, in `directory`.
    func verify(
        server: String, flags: [String] = [], environment extra: [String: String], directory: URL? = nil
    ) async throws -> BuiltBinary.Result {
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("verify-audit-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: audit) }
        let environment = ["CI_PROJECT_DIR": "", "CI_SERVER_URL": server, "CI_JOB_TOKEN": Self.jobToken].merging(extra) { _, new in new }
        return try await ciauth.run(
            ["verify", "--server", server, "--project", "acme/web", "--job-name", "deploy", "--no-checkout",
             "--audit-file", audit.path] + flags,
            environment: environment, workingDirectory: directory)
    }

    /// A closed local port that is not a loopback name, so a proxy would apply to it.
    func unreachableServer() async throws -> String {
        let probe = try await ConnectProxy.start(host: "127.0.0.1", upstreamPort: 1)
        await probe.shutdown()
        return "https://0.0.0.0:\(probe.port)"
    }

    @Test("HTTPS_PROXY, https_proxy and SSL_CERT_FILE set by a job variable are not used")
    func proxyVariablesAreIgnored() async throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        let proxy = try await ConnectProxy.start(upstreamPort: 1)
        let server = try await unreachableServer()
        let proxyURL = "http://\(proxy.host):\(proxy.port)"
        let result = try await verify(
            server: server,
            environment: ["HTTPS_PROXY": proxyURL, "https_proxy": proxyURL, "NO_PROXY": "", "no_proxy": "", "SSL_CERT_FILE": pki.caFile])
        await proxy.shutdown()
        #expect(proxy.log.connections == 0)
        #expect(result.status == 16)
        #expect(result.stderr.contains("gitlab-unreachable"))
        #expect(!result.stderr.contains("SSL_CERT_FILE") && !result.stderr.contains(Self.jobToken))
    }

    @Test("--proxy is used, and a proxy that intercepts TLS gets no job token (exit 16)")
    func interceptingProxyFromTheFlag() async throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        // The interceptor holds a certificate for the proxy's own address from a CA verify trusts;
        // behind it, a server that only listens (the attacker's would answer with its own keys).
        let sink = try await ConnectProxy.start(host: "127.0.0.1", upstreamPort: 1)
        let interceptor = try await TLSServer.start(
            leaf: try pki.leaf("proxy", subjectAltNames: ["IP:127.0.0.2", "DNS:localhost"]), upstreamPort: sink.port)
        let proxy = try await ConnectProxy.start(upstreamPort: interceptor.port)
        let server = try await unreachableServer()
        let result = try await verify(server: server, flags: ["--proxy", "http://\(proxy.host):\(proxy.port)", "--ca-file", pki.caFile], environment: [:])
        await proxy.shutdown()
        await interceptor.shutdown()
        await sink.shutdown()
        #expect(proxy.log.targets.first == String(server.dropFirst("https://".count)))
        #expect(interceptor.log.received.isEmpty)
        #expect(!proxy.log.sawText(Self.jobToken))
        #expect(result.status == 16)
        #expect(result.stderr.contains("not valid for"))
        #expect(!result.stderr.contains("SSL_CERT_FILE"))
    }

    @Test("a certificate naming only the address the server's name resolved to is refused (exit 16)")
    func certificateForTheResolvedAddressOnly() async throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        // What a resolver steered by LOCALDOMAIN/RES_OPTIONS would reach: a server whose certificate,
        // from a trusted CA, names its own address and not the pinned host.
        let sink = try await ConnectProxy.start(host: "127.0.0.1", upstreamPort: 1)
        let impostor = try await TLSServer.start(leaf: try pki.leaf("impostor", subjectAltNames: ["IP:127.0.0.1"]), upstreamPort: sink.port)
        let result = try await verify(server: "https://localhost:\(impostor.port)", flags: ["--ca-file", pki.caFile], environment: [:])
        await impostor.shutdown()
        await sink.shutdown()
        #expect(result.status == 16)
        #expect(result.stderr.contains("not valid for"))
        #expect(impostor.log.received.isEmpty)
    }

    /// The attacker's CA, left in the build directory, and a server its certificate names:
    /// trusting that file would hand the job token to whoever answers for the pinned host.
    @Test(
        "a --ca-file of the build directory (relative, or absolute inside the project directory) is refused before any connection (exit 78)",
        arguments: [false, true])
    func buildDirectoryCAFileIsRefused(absolute: Bool) async throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        let sink = try await ConnectProxy.start(host: "127.0.0.1", upstreamPort: 1)
        let impostor = try await TLSServer.start(leaf: try pki.leaf("impostor", subjectAltNames: ["DNS:localhost"]), upstreamPort: sink.port)
        let directory = URL(fileURLWithPath: pki.caFile).deletingLastPathComponent()
        // A passing report left in the work tree must not survive a run that never got going.
        let stale = directory.appendingPathComponent("ciauth.env")
        try Data("CIAUTH_APPROVED=true\n".utf8).write(to: stale)
        let result = try await verify(
            server: "https://localhost:\(impostor.port)",
            flags: ["--ca-file", absolute ? pki.caFile : "ca.pem", "--dotenv", "ciauth.env"], environment: [:], directory: directory)
        await impostor.shutdown()
        await sink.shutdown()
        #expect(impostor.log.received.isEmpty, "the job token went to the impostor")
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("--ca-file") && result.stderr.contains(absolute ? "project directory" : "is relative"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale.path), "a stale dotenv report survived")
    }
}
