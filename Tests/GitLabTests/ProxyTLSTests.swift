import Foundation
import GitLab
import GitLabSim
import NetworkTestSupport
import Testing

/// TLS through an HTTP CONNECT proxy must check the certificate against the host in the server
/// URL, never against the peer the socket reached (the proxy). An intercepting proxy that holds a
/// certificate for its own address, from a CA the client trusts, must see no token.
@Suite(.serialized) struct ProxyTLSTests {
    /// The server as the client names it: by name, and by an IP literal (TEST-NET-1). Neither
    /// resolves or routes here; the test proxy joins every tunnel to the local TLS server.
    static let servers = ["https://gitlab.test:8443", "https://192.0.2.10:8443"]
    static let serverNames = ["DNS:gitlab.test", "IP:192.0.2.10"]
    /// What an intercepting proxy at 127.0.0.2 can get from a CA the client trusts.
    static let proxyNames = ["IP:127.0.0.2", "DNS:localhost"]

    struct World {
        let sim: GitLabSimulator
        let pki: TestPKI
        let tlsServer: TestServer
        let proxy: TestServer

        /// With credentials, sent to the proxy as Basic authorization.
        var proxyURL: String { "http://tunnel:p%40ss@\(proxy.host):\(proxy.port)" }

        /// Runs `body` with a client that trusts the test CA and uses the proxy; always shuts it down.
        func withClient<T>(
            _ server: String, credentials: GitLabCredentials, _ body: (GitLabClient) async throws -> T
        ) async throws -> T {
            var options = GitLabClientOptions.fastTest
            options.caFile = pki.caFile
            options.proxy = try ProxySettings.fromEnvironment(["HTTPS_PROXY": proxyURL])
            let client = try GitLabClient(server: try GitLabServer(server), credentials: credentials, options: options)
            do {
                let result = try await body(client)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// gitlab-sim behind a TLS server holding `names`, behind a CONNECT proxy on 127.0.0.2.
    func withWorld(certificateFor names: [String], _ body: (World) async throws -> Void) async throws {
        let sim = try await GitLabSimulator.start(seed: try SimSeed.decode(json: Data(Seeds.standard().utf8)))
        let pki = try TestPKI.make()
        defer { pki.remove() }
        let port = try #require(URL(string: sim.baseURL)?.port)
        let tlsServer = try await TLSServer.start(leaf: try pki.leaf("server", subjectAltNames: names), upstreamPort: port)
        let proxy = try await ConnectProxy.start(upstreamPort: tlsServer.port)
        let world = World(sim: sim, pki: pki, tlsServer: tlsServer, proxy: proxy)
        do {
            try await body(world)
        } catch {
            Issue.record(error)
        }
        await proxy.shutdown()
        await tlsServer.shutdown()
        try await sim.shutdown()
    }

    @Test(arguments: servers)
    func interceptingProxyGetsNoToken(_ server: String) async throws {
        try await withWorld(certificateFor: Self.proxyNames) { world in
            for credentials in [GitLabCredentials.accessToken("alice-read"), .jobToken("job-token-secret")] {
                let error = try await world.withClient(server, credentials: credentials) { client in
                    await expectGitLabError { _ = try await client.currentUser() }
                }
                #expect(error?.code == .tlsFailure)
                #expect(error?.hint?.contains("not valid for") == true)
            }
            // One CONNECT per client, to the server's host only; a connection retried on a loaded
            // machine (a connect timeout) may add one, never another target.
            let targets = world.proxy.log.targets
            #expect(targets.count >= 2 && Set(targets) == [String(server.dropFirst("https://".count))], "\(targets)")
            // Nothing crossed the intercepted TLS: no request line, no header, no token.
            #expect(world.tlsServer.log.received.isEmpty)
            #expect(!world.tlsServer.log.sawText("alice-read") && !world.tlsServer.log.sawText("job-token-secret"))
            #expect(!world.proxy.log.sawText("alice-read") && !world.proxy.log.sawText("job-token-secret"))
            #expect(world.sim.requests.isEmpty)
        }
    }

    @Test(arguments: servers)
    func honestTunnelReachesTheServer(_ server: String) async throws {
        try await withWorld(certificateFor: Self.serverNames) { world in
            let users = try await world.withClient(server, credentials: .accessToken("alice-token")) { client in
                [try await client.currentUser(), try await client.currentUser()]
            }
            #expect(users.map(\.username) == ["alice", "alice"])
            #expect(!world.proxy.log.targets.isEmpty)
            #expect(world.sim.count("GET", "/user") == 2)
            // The token travelled only inside TLS: the proxy never saw it; the proxy's own
            // credentials (tunnel:p@ss) went to the proxy alone.
            #expect(!world.proxy.log.sawText("alice-token"))
            #expect(world.tlsServer.log.sawText("alice-token"))
            #expect(world.proxy.log.sawText("Proxy-Authorization: Basic dHVubmVsOnBAc3M="))
            #expect(!world.tlsServer.log.sawText("Proxy-Authorization"))
            #expect(world.tlsServer.log.sawText("Host: \(server.dropFirst("https://".count))\r\n"))
        }
    }

    @Test func certificateForAnotherHostIsRefused() async throws {
        try await withWorld(certificateFor: Self.serverNames) { world in
            let error = try await world.withClient("https://other.test:8443", credentials: .accessToken("alice-token")) { client in
                await expectGitLabError { _ = try await client.currentUser() }
            }
            #expect(error?.code == .tlsFailure)
            #expect(world.tlsServer.log.received.isEmpty)
        }
    }

    @Test func proxyThatRefusesTheTunnel() async throws {
        // Its upstream port is closed: it drops the client without answering the CONNECT.
        let proxy = try await ConnectProxy.start(upstreamPort: 1)
        var options = GitLabClientOptions.fastTest
        options.proxy = try ProxySettings.fromEnvironment(["HTTPS_PROXY": "http://127.0.0.2:\(proxy.port)"])
        let client = try GitLabClient(server: try GitLabServer("https://gitlab.test"), credentials: .accessToken("t"), options: options)
        let error = await expectGitLabError { _ = try await client.currentUser() }
        try await client.shutdown()
        await proxy.shutdown()
        #expect(error?.code == .connectionFailed)
    }

    @Test(arguments: [
        ("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n", "(HTTP 407)"),
        ("HTTP/1.1 200 Connection established\r\n\r\nnot TLS", "did not open a tunnel"),
        ("SSH-2.0-OpenSSH_9.6\r\n\r\n", "did not open a tunnel"),
    ])
    func proxyAnswersOtherThanATunnelFailClosed(_ answer: String, _ hint: String) async throws {
        let proxy = try await CannedProxy.start(answer: answer)
        var options = GitLabClientOptions.fastTest
        options.retry = .none
        options.proxy = try ProxySettings.fromEnvironment(["HTTPS_PROXY": "http://127.0.0.2:\(proxy.port)"])
        let client = try GitLabClient(server: try GitLabServer("https://gitlab.test"), credentials: .accessToken("alice-token"), options: options)
        let error = await expectGitLabError { _ = try await client.currentUser() }
        try await client.shutdown()
        await proxy.shutdown()
        #expect(error?.code == .connectionFailed)
        #expect(error?.hint?.contains(hint) == true)
        #expect(proxy.log.sawText("CONNECT gitlab.test:443 HTTP/1.1\r\nHost: gitlab.test:443\r\n"))
        #expect(!proxy.log.sawText("alice-token"))
    }
}

/// With `checksServerIdentity` (verify's options), direct connections get the same check: a
/// certificate that names only the address the server's name resolved to is refused, as a
/// resolver steered to the attacker's address would otherwise be enough.
@Suite(.serialized) struct DirectTLSIdentityTests {
    func withTLSServer(certificateFor names: [String], _ body: (GitLabSimulator, TestPKI, TestServer) async throws -> Void) async throws {
        let sim = try await GitLabSimulator.start(seed: try SimSeed.decode(json: Data(Seeds.standard().utf8)))
        let pki = try TestPKI.make()
        defer { pki.remove() }
        let port = try #require(URL(string: sim.baseURL)?.port)
        let tlsServer = try await TLSServer.start(leaf: try pki.leaf("server", subjectAltNames: names), upstreamPort: port)
        do {
            try await body(sim, pki, tlsServer)
        } catch {
            Issue.record(error)
        }
        await tlsServer.shutdown()
        try await sim.shutdown()
    }

    func currentUser(_ server: String, caFile: String) async throws -> Result<String, GitLabError> {
        var options = GitLabClientOptions.fastTest
        options.caFile = caFile
        options.checksServerIdentity = true
        let client = try GitLabClient(server: try GitLabServer(server), credentials: .accessToken("alice-token"), options: options)
        let result: Result<String, GitLabError>
        do {
            result = .success(try await client.currentUser().username)
        } catch {
            result = .failure(error)
        }
        try await client.shutdown()
        return result
    }

    @Test func certificateForTheResolvedAddressOnlyIsRefused() async throws {
        try await withTLSServer(certificateFor: ["IP:127.0.0.1"]) { sim, pki, tlsServer in
            let result = try await currentUser("https://localhost:\(tlsServer.port)", caFile: pki.caFile)
            guard case .failure(let error) = result else {
                Issue.record("accepted: \(result)")
                return
            }
            #expect(error.code == .tlsFailure && error.hint?.contains("not valid for") == true)
            #expect(tlsServer.log.received.isEmpty)
            #expect(sim.requests.isEmpty)
        }
    }

    @Test func certificateNamingTheURLHostIsAccepted() async throws {
        try await withTLSServer(certificateFor: ["DNS:localhost", "IP:127.0.0.1"]) { _, pki, tlsServer in
            for server in ["https://localhost:\(tlsServer.port)", "https://127.0.0.1:\(tlsServer.port)"] {
                let result = try await currentUser(server, caFile: pki.caFile)
                #expect((try? result.get()) == "alice")
            }
        }
    }
}
