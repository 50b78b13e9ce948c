import Foundation
import GitLab
import GitLabSim
import Testing

@Suite struct TLSTests {
    /// A self-signed CA certificate (public part only), made with
    /// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 -subj "/CN=ciauth test CA"`.
    static let caPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBijCCAS+gAwIBAgIUCJg95srDeByS7MOlTjMzPBILhEYwCgYIKoZIzj0EAwIw
        GTEXMBUGA1UEAwwOY2lhdXRoIHRlc3QgQ0EwIBcNMjYxMTI4MjE0OTU4WhgPMjEy
        NjExMDQyMTQ5NThaMBkxFzAVBgNVBAMMDmNpYXV0aCB0ZXN0IENBMFkwEwYHKoZI
        zj0CAQYIKoZIzj0DAQcDQgAEBT2wsoJfmqu8wDczsgP49feNUuQyoMFR1fCizrqW
        7oyUpwo9cJEch5q1MV5ZvKjDrMIlKkTRZJScSLZvQ+E1AKNTMFEwHQYDVR0OBBYE
        FIFyG8PyCIUV8blifPf2wsgtZ46qMB8GA1UdIwQYMBaAFIFyG8PyCIUV8blifPf2
        wsgtZ46qMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAPljaA/O
        jdUhkErdcKZNq0OIgPG3Ak7Zfq63c9C43BDnAiEAwXDISIm+2nWijav1XmU4mcgj
        q5pM1spWXk02xDVnA4A=
        -----END CERTIFICATE-----

        """

    func withTemporaryFile(_ contents: String, _ body: (String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gitlab-tests-\(UUID().uuidString).pem").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(path)
    }

    @Test func extraCAFileIsLoaded() async throws {
        try await withTemporaryFile(Self.caPEM) { path in
            let options = try GitLabClientOptions.fromEnvironment(["SSL_CERT_FILE": path])
            #expect(options.caFile == path)
            let client = try GitLabClient(server: try GitLabServer("https://gitlab.example.com"), credentials: .anonymous, options: options)
            try await client.shutdown()
        }
    }

    @Test func flagWinsOverSSLCertFile() throws {
        let options = try GitLabClientOptions.fromEnvironment(["SSL_CERT_FILE": "/env.pem"], caFileFlag: "/flag.pem")
        #expect(options.caFile == "/flag.pem")
    }

    @Test func unreadableOrEmptyCAFileIsRefused() async throws {
        var options = GitLabClientOptions()
        options.caFile = "/nonexistent/ca.pem"
        #expect(throws: GitLabError.self) { try GitLabClient(server: try GitLabServer("https://h.example"), credentials: .anonymous, options: options) }
        try await withTemporaryFile("not a certificate\n") { path in
            options.caFile = path
            do {
                _ = try GitLabClient(server: try GitLabServer("https://h.example"), credentials: .anonymous, options: options)
                Issue.record("accepted a CA file without certificates")
            } catch let error as GitLabError {
                #expect(error.code == .invalidCAFile)
            }
        }
    }

    @Test func tlsHandshakeFailureIsReported() async throws {
        // The simulator speaks plain HTTP: a TLS client must fail the handshake, not fall back.
        try await withSimulator { sim, _ in
            let url = sim.baseURL.replacingOccurrences(of: "http://", with: "https://")
            let client = try GitLabClient(server: try GitLabServer(url), credentials: .accessToken("alice-token"), options: .fastTest)
            let error = await expectGitLabError { _ = try await client.currentUser() }
            try await client.shutdown()
            #expect(error?.code == .tlsFailure)
            #expect(sim.requests.isEmpty)
        }
    }
}
