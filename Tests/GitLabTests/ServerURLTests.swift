import Testing

@testable import GitLab

@Suite struct ServerURLTests {
    @Test func httpsWithPathPrefix() throws {
        let server = try GitLabServer("https://Git.Example.com:8443/gitlab/")
        #expect(server.host == "git.example.com")
        #expect(server.port == 8443)
        #expect(server.pathPrefix == "/gitlab")
        #expect(server.apiRoot == "https://git.example.com:8443/gitlab/api/v4")
        #expect(server.hostKey == "git.example.com:8443")
    }

    @Test func plainHTTPOnlyForLoopback() throws {
        #expect(try GitLabServer("http://127.0.0.1:8080").isLoopback)
        #expect(try GitLabServer("http://127.45.1.2").isLoopback)
        #expect(try GitLabServer("http://localhost:3000").isLoopback)
        #expect(try GitLabServer("http://[::1]:9000").origin == "http://[::1]:9000")
        for url in ["http://gitlab.example.com", "http://10.0.0.1", "http://128.0.0.1", "http://127.0.0.1.evil.com"] {
            do {
                _ = try GitLabServer(url)
                Issue.record("accepted \(url)")
            } catch {
                #expect(error.code == .insecureTransport)
            }
        }
    }

    @Test(arguments: [
        "gitlab.example.com", "ftp://gitlab.example.com", "https://user:pw@gitlab.example.com",
        "https://gitlab.example.com/?x=1", "https://gitlab.example.com/#frag", "https://:443",
        "https://gitlab.example.com:0", "https://gitlab.example.com:70000", "https://gitlab.example.com/a/../b",
        "https://gitlab .example.com", "https://[::1",
    ])
    func rejectsMalformedURLs(_ url: String) {
        #expect(throws: GitLabError.self) { try GitLabServer(url) }
    }

    @Test func projectPathsAreEncoded() throws {
        #expect(ProjectReference.path("group/sub/my.project").pathSegment == "group%2Fsub%2Fmy.project")
        #expect(ProjectReference.id(42).pathSegment == "42")
        #expect(PercentEncoding.encode("a b+c&d=é") == "a%20b%2Bc%26d%3D%C3%A9")
        #expect(throws: GitLabError.self) { try ProjectReference.path("/group/p").validated() }
        #expect(throws: GitLabError.self) { try ProjectReference.id(0).validated() }
    }
}
