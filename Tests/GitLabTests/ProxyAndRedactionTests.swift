import Testing

@testable import GitLab

@Suite struct ProxyAndRedactionTests {
    let server = try! GitLabServer("https://gitlab.example.com")

    @Test func proxyFromEnvironment() throws {
        let proxy = try #require(try ProxySettings.fromEnvironment(["HTTPS_PROXY": "http://u%40x:p%3Aw@proxy.local:3128/"]))
        #expect(proxy.host == "proxy.local" && proxy.port == 3128)
        #expect(proxy.credentials?.user == "u@x" && proxy.credentials?.password == "p:w")
        #expect(proxy.applies(to: server))
        let lower = try #require(try ProxySettings.fromEnvironment(["https_proxy": "lower:8080", "HTTPS_PROXY": "http://upper:1"]))
        #expect(lower.host == "lower" && lower.port == 8080)
        #expect(try ProxySettings.fromEnvironment(["HTTP_PROXY": "http://p:1"]) == nil)
        #expect(try ProxySettings.fromEnvironment(["HTTPS_PROXY": "proxy"])?.port == 1080)
        #expect(throws: GitLabError.self) { try ProxySettings.fromEnvironment(["HTTPS_PROXY": "socks5://p:1"]) }
        #expect(throws: GitLabError.self) { try ProxySettings.fromEnvironment(["HTTPS_PROXY": "http://p:notaport"]) }
    }

    @Test(arguments: [
        ("example.com", true), (".example.com", true), ("*.example.com", true), ("*", true),
        ("gitlab.example.com", true), ("gitlab.example.com:443", true), ("gitlab.example.com:8443", false),
        ("ample.com", false), ("other.com", false), ("", false), ("other.com, example.com", true),
    ])
    func noProxyMatching(_ rule: String, _ bypass: Bool) throws {
        let proxy = try #require(try ProxySettings.fromEnvironment(["HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": rule]))
        #expect(proxy.applies(to: server) == !bypass)
    }

    @Test func loopbackNeverProxied() throws {
        let proxy = try #require(try ProxySettings.fromEnvironment(["HTTPS_PROXY": "http://proxy:3128"]))
        #expect(!proxy.applies(to: try GitLabServer("http://127.0.0.1:9999")))
    }

    @Test(arguments: [
        ("gitlab.example.com", "gitlab.example.com", true), ("GitLab.Example.com.", "gitlab.example.com", true),
        ("*.example.com", "gitlab.example.com", true), ("*.example.com", "a.b.example.com", false),
        ("*.example.com", "example.com", false), ("*.com", "example.com", false), ("g*.example.com", "gitlab.example.com", false),
        ("gitlab.example.com", "other.example.com", false), ("", "gitlab.example.com", false),
    ])
    func certificateNameMatching(_ presented: String, _ host: String, _ matches: Bool) {
        #expect(ServerIdentity.dnsName(Array(presented.utf8), matches: ServerIdentity(host: host).serverNameIndication ?? "") == matches)
    }

    @Test func ipLiteralsAreAddressesAndSendNoServerName() {
        #expect(ServerIdentity(host: "192.0.2.10").kind == .address([192, 0, 2, 10]))
        #expect(ServerIdentity(host: "2001:db8::1").serverNameIndication == nil)
        #expect(ServerIdentity(host: "Gitlab.Example.com.").serverNameIndication == "gitlab.example.com")
    }

    @Test func verifyTakesOnlyLiteralSettings() throws {
        let options = try GitLabClientOptions.pinned(caFile: "/pinned.pem", proxy: "http://proxy.internal:3128")
        #expect(options.caFile == "/pinned.pem")
        #expect(options.proxy?.host == "proxy.internal" && options.proxy?.port == 3128)
        #expect(try GitLabClientOptions.pinned(caFile: nil, proxy: nil).proxy == nil)
        #expect(!options.caFileHint.contains("SSL_CERT_FILE"))
        do {
            _ = try GitLabClientOptions.pinned(caFile: nil, proxy: "socks5://p:1")
            Issue.record("accepted a socks proxy")
        } catch {
            #expect(error.code == .invalidProxy && error.hint?.contains("--proxy") == true)
        }
    }

    @Test func headersAndTargetsAreRedacted() {
        let lines = RequestLog.redactedHeaders([
            ("PRIVATE-TOKEN", "glpat-abc"), ("Authorization", "Bearer xyz"), ("JOB-TOKEN", "jt"), ("Accept", "application/json"),
        ])
        #expect(lines == ["PRIVATE-TOKEN: [REDACTED]", "Authorization: Bearer [REDACTED]", "JOB-TOKEN: [REDACTED]", "Accept: application/json"])
        let target = RequestLog.redactedTarget("https://gitlab.example.com/api/v4/job?job_token=abc&x=1", server: server)
        #expect(target == "/api/v4/job?job_token=[REDACTED]&x=1")
        #expect(RequestLog.originOnly("https://user:pw@evil.example:8443/path?token=1") == "https://evil.example:8443")
    }

    @Test func credentialsNeverDescribeTheirToken() {
        for credentials in [GitLabCredentials.accessToken("t0k3n"), .oauth("t0k3n"), .jobToken("t0k3n")] {
            #expect(!credentials.description.contains("t0k3n"))
            #expect(!"\(credentials)".contains("t0k3n"))
        }
    }
}
