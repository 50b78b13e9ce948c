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
        "hosts:\n  a.com:\n    token: {a: b}",  // flow mapping where a value is used
        "hosts:\n  a.com:\n    token:\n      - x",  // list where a value is used
        "hosts:\n  a.com:\n    token: \"unterminated",
        "hosts: []",
        "hosts:\n  a.com: text",
        "hosts:\n  a.com:\n    token: x\n      deeper: y",
        "hosts:\n  a.com:\n    is_oauth2: maybe",
        "host: [a, b]",
        "just text",
    ])
    func glabConfigRefusesWhatCiauthCannotUse(_ text: String) {
        #expect(throws: GitLabError.self) { try GlabConfig(parsing: text) }
    }

    /// What glab itself writes (gitlab-org/cli `internal/config`): a token tagged `!!null`,
    /// quoted booleans, comments, block lists and sections ciauth does not use.
    @Test func glabConfigAsGlabWritesIt() throws {
        let config = try GlabConfig(
            parsing: """
                # What protocol to use when performing Git operations. Supported values: ssh, https.
                git_protocol: ssh
                editor:
                browser:
                glamour_style: dark
                check_update: false
                display_hyperlinks: false
                host: gitlab.example.com
                no_prompt: false
                telemetry: true
                hosts:
                  gitlab.example.com:
                    # What protocol to use to access the API endpoint. Supported values: http, https.
                    api_protocol: https
                    api_host: gitlab.example.com
                    token: !!null glpat-abcdefghijklmnopqrst
                    is_oauth2: "false"
                    container_registry_domains: registry.example.com
                    user: alice
                    extra:
                      - one
                      - two
                  gitlab.com:
                    token: &t glpat-anchored
                    is_oauth2: "true"
                    oauth2_refresh_token: !!null refresh
                    oauth2_expiry_date: 01 Jan 26 00:00 UTC
                aliases:
                  ci: pipeline ci
                """)
        #expect(config.defaultHost == "gitlab.example.com")
        #expect(config.hosts["gitlab.example.com"]?.token == "glpat-abcdefghijklmnopqrst")
        #expect(config.hosts["gitlab.example.com"]?.isOAuth2 == false)
        #expect(config.hosts["gitlab.com"]?.token == "glpat-anchored")
        #expect(config.hosts["gitlab.com"]?.isOAuth2 == true)
    }

    @Test func glabConfigErrorsNeverQuoteTheFile() {
        do {
            _ = try GlabConfig(parsing: "hosts:\n  a.com:\n    token: \"glpat-secret-value\n")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("glpat-secret-value"))
            #expect(error.description.contains("line"))
        }
    }

    @Test func aBrokenFileIsNamedOnlyWhenItIsNeeded() throws {
        let broken = ConfigurationFile(path: "/home/u/.config/glab-cli/config.yml", contents: .success("hosts: [\n"))
        // Server and token from the environment: the glab file is never read.
        let resolved = try GitLabConfigurationResolver.resolve(
            .init(environment: ["CIAUTH_SERVER": "https://a.example.com", "CIAUTH_TOKEN": "t"], glabFile: broken))
        #expect(resolved.credentials == .accessToken("t"))
        do {
            _ = try GitLabConfigurationResolver.resolve(.init(serverFlag: "https://a.example.com", glabFile: broken))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidConfigFile)
            #expect(error.description.contains("/home/u/.config/glab-cli/config.yml"))
        }
    }

    @Test func aTokenInAFileOthersCanReadIsRefused() throws {
        let file = { (mode: Int) in
            ConfigurationFile(path: "/h/ciauth/config.toml", contents: .success("server = 'https://a.example.com'\ntoken = 't'\n"), mode: mode)
        }
        let resolved = try GitLabConfigurationResolver.resolve(.init(ciauthFile: file(0o600)))
        #expect(resolved.credentials == .accessToken("t"))
        #expect(resolved.tokenFile == "/h/ciauth/config.toml")
        do {
            _ = try GitLabConfigurationResolver.resolve(.init(ciauthFile: file(0o644)))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidConfigFile)
            #expect(error.description.contains("chmod 600 /h/ciauth/config.toml"))
        }
    }

    @Test func glabConfigShapes() throws {
        let config = try GlabConfig(
            parsing: "hosts:\n    gl.local:8443:\n        token: 'it''s'  # comment\n        api_protocol: https\nhost: gl.local:8443\n")
        #expect(config.defaultHost == "gl.local:8443")
        #expect(config.hosts["gl.local:8443"]?.token == "it's")
        #expect(try GlabConfig(parsing: "") == GlabConfig(parsing: "# only a comment\n"))
        let empty = try GlabConfig(parsing: "hosts:\n  gitlab.com:\n    token:\n")
        #expect(empty.hosts["gitlab.com"]?.token == nil)
    }

    @Test(arguments: [
        "server = https://x",  // unquoted
        "server = \"a\"\nserver = \"b\"",  // duplicate
        "other = \"x\"",  // unknown key
        "[section]",  // table
        "token = 42",  // not a string
        "token = \"a\\nb\"",  // control character
        "token = \"abc\" trailing",
        "token = \"unterminated",
    ])
    func ciauthConfigIsStrict(_ text: String) {
        #expect(throws: GitLabError.self) { try CIAuthConfigFile(parsing: text) }
    }

    @Test func ciauthConfigParses() throws {
        let file = try CIAuthConfigFile(parsing: "# c\n\nserver = \"https://h\" # trailing comment\r\ntoken = \"a\\\"b\\\\c\"\n")
        #expect(file == CIAuthConfigFile(server: "https://h", token: "a\"b\\c"))
        // Any TOML string form.
        #expect(try CIAuthConfigFile(parsing: "token = 'lit\\eral'\nserver = \"\"\"https://m\"\"\"") == CIAuthConfigFile(server: "https://m", token: "lit\\eral"))
    }

    @Test func ciauthConfigWritesWhatItReads() throws {
        let file = CIAuthConfigFile(server: "https://gitlab.example.com", token: "glpat-'\"\\x")
        #expect(try CIAuthConfigFile(parsing: file.text) == file)
    }
}
