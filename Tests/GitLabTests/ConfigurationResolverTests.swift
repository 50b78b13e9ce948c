import Testing

@testable import GitLab

@Suite struct ConfigurationResolverTests {
    let glab = """
        # glab config
        git_protocol: ssh
        editor:
        host: glab.example.com
        hosts:
          glab.example.com:
            # Your GitLab access token.
            token: glpat-from-glab
            api_protocol: https
            api_host: glab.example.com
            git_protocol: ssh
          oauth.example.com:
            token: "oauth-token"
            is_oauth2: true
        no_prompt: false
        """

    let toml = """
        # ciauth
        server = "https://toml.example.com"
        token = "glpat-from-toml"
        """

    let allEnvironment = [
        "CIAUTH_SERVER": "https://ciauth-env.example.com", "CIAUTH_TOKEN": "ciauth-env-token",
        "GITLAB_HOST": "glab-env.example.com", "GITLAB_TOKEN": "glab-env-token",
        "CI_SERVER_URL": "https://ci.example.com", "CI_JOB_TOKEN": "job-token",
    ]

    @Test func flagsWinOverEverything() throws {
        let resolved = try GitLabConfigurationResolver.resolve(
            .init(
                serverFlag: "https://flag.example.com", tokenFlag: "flag-token", tokenKind: .oauth,
                environment: allEnvironment, glabConfig: glab, ciauthConfig: toml))
        #expect(resolved.server.description == "https://flag.example.com")
        #expect(resolved.credentials == .oauth("flag-token"))
        #expect(resolved.serverSource == .flag && resolved.tokenSource == .flag)
    }

    @Test func orderOfEnvironmentAndFiles() throws {
        var env = allEnvironment
        var resolved = try GitLabConfigurationResolver.resolve(.init(environment: env, glabConfig: glab, ciauthConfig: toml))
        #expect(resolved.server.host == "ciauth-env.example.com")
        #expect(resolved.credentials == .accessToken("ciauth-env-token"))

        env["CIAUTH_SERVER"] = nil
        env["CIAUTH_TOKEN"] = nil
        resolved = try GitLabConfigurationResolver.resolve(.init(environment: env, glabConfig: glab, ciauthConfig: toml))
        #expect(resolved.server.description == "https://glab-env.example.com")
        #expect(resolved.credentials == .accessToken("glab-env-token"))
        #expect(resolved.serverSource == .glabEnvironment)

        env["GITLAB_HOST"] = nil
        env["GITLAB_TOKEN"] = nil
        resolved = try GitLabConfigurationResolver.resolve(.init(environment: env, glabConfig: glab, ciauthConfig: toml))
        #expect(resolved.server.host == "glab.example.com")
        #expect(resolved.credentials == .accessToken("glpat-from-glab"))
        #expect(resolved.tokenSource == .glabConfig)

        resolved = try GitLabConfigurationResolver.resolve(.init(environment: env, ciauthConfig: toml))
        #expect(resolved.server.host == "toml.example.com")
        #expect(resolved.credentials == .accessToken("glpat-from-toml"))

        resolved = try GitLabConfigurationResolver.resolve(.init(environment: env))
        #expect(resolved.server.host == "ci.example.com")
        #expect(resolved.credentials == .jobToken("job-token"))
        #expect(resolved.serverSource == .ciJob && resolved.tokenSource == .ciJob)
    }

    @Test func fileAndJobTokensStayWithTheirServer() throws {
        let env = ["CI_SERVER_URL": "https://ci.example.com", "CI_JOB_TOKEN": "job-token"]
        let resolved = try GitLabConfigurationResolver.resolve(
            .init(serverFlag: "https://other.example.com", environment: env, glabConfig: glab, ciauthConfig: toml))
        #expect(resolved.credentials == .anonymous)
        #expect(resolved.tokenSource == nil)

        let oauth = try GitLabConfigurationResolver.resolve(.init(serverFlag: "https://oauth.example.com", glabConfig: glab))
        #expect(oauth.credentials == .oauth("oauth-token"))
    }

    @Test func missingServerIsAnError() {
        do {
            _ = try GitLabConfigurationResolver.resolve(.init(environment: ["GITLAB_TOKEN": "x"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .missingServer)
        }
    }

    @Test func environmentServerMustBeSafe() {
        do {
            _ = try GitLabConfigurationResolver.resolve(.init(environment: ["CIAUTH_SERVER": "http://gitlab.example.com"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .insecureTransport)
            #expect(error.description.contains("CIAUTH_SERVER"))
        }
    }

    @Test(arguments: [
        "hosts:\n\tgitlab.com:\n\t\ttoken: x",  // tabs
        "hosts:\n  a.com:\n    token: x\n  a.com:\n    token: y",  // duplicate host
        "hosts:\n  a.com:\n    token: x\n    token: y",  // duplicate key
        "hosts:\n  a.com:\n    token: &anchor x",  // anchor
        "hosts:\n  a.com:\n    token: {a: b}",  // flow mapping
        "hosts:\n  a.com:\n    token: \"unterminated",
        "hosts:\n  a.com:\n    token: |\n      block",
        "hosts: []",
        "  indented: at start",
        "hosts:\n  a.com:\n    token: x\n      deeper: y",
        "hosts:\n  a.com:\n    is_oauth2: maybe",
        "just text",
    ])
    func glabConfigIsStrict(_ text: String) {
        #expect(throws: GitLabError.self) { try GlabConfig(parsing: text) }
    }

    @Test func glabConfigShapes() throws {
        let config = try GlabConfig(
            parsing: "hosts:\n    gl.local:8443:\n        token: 'it''s'  # comment\n        api_protocol: https\nhost: gl.local:8443\n")
        #expect(config.defaultHost == "gl.local:8443")
        #expect(config.hosts["gl.local:8443"]?.token == "it's")
        let empty = try GlabConfig(parsing: "hosts:\n  gitlab.com:\n    token:\n")
        #expect(empty.hosts["gitlab.com"]?.token == nil)
    }

    @Test(arguments: [
        "server = https://x",  // unquoted
        "server = \"a\"\nserver = \"b\"",  // duplicate
        "other = \"x\"",  // unknown key
        "[section]",  // table
        "token = \"a\\nb\"",  // unsupported escape
        "token = \"abc\" trailing",
        "token = 'literal'",
        "token = \"\"\"multi\"\"\"",
        "token = \"unterminated",
    ])
    func ciauthConfigIsStrict(_ text: String) {
        #expect(throws: GitLabError.self) { try CIAuthConfigFile(parsing: text) }
    }

    @Test func ciauthConfigParses() throws {
        let file = try CIAuthConfigFile(parsing: "# c\n\nserver = \"https://h\" # trailing comment\r\ntoken = \"a\\\"b\\\\c\"\n")
        #expect(file == CIAuthConfigFile(server: "https://h", token: "a\"b\\c"))
    }
}
