import Foundation
import Testing

/// What a new user meets before any request: suggestions, durations, completions, the man page.
@Suite struct FirstHourSurfaceTests {
    let ciauth = BuiltBinary(name: "ciauth")

    @Test(arguments: [
        (["aprove", "4711"], "Did you mean 'ciauth approve'?"),
        (["keys", "lst"], "Did you mean 'ciauth keys list'?"),
        (["auth", "stauts"], "Did you mean 'ciauth auth status'?"),
        (["help", "aprove"], "Did you mean 'ciauth help approve'?"),
        (["help", "keys", "lsit"], "Did you mean 'ciauth help keys list'?"),
    ])
    func aMistypedSubcommandGetsASuggestion(arguments: [String], suggestion: String) async throws {
        let result = try await ciauth.run(arguments, environment: ["NO_COLOR": "1"])
        #expect(result.status == 64)
        #expect(result.stderr.contains(suggestion), "\(result.stderr)")
    }

    @Test func touchTimeoutTakesTheDurationGrammar() async throws {
        let environment = ["CIAUTH_SERVER": "https://gitlab.example.com", "CIAUTH_TOKEN": ""]
        let wrong = try await ciauth.run(["approve", "4711", "--touch-timeout", "30x"], environment: environment)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("--touch-timeout takes a duration from 1s to 10m, such as 30s or 2m, got \"30x\""), "\(wrong.stderr)")
        let long = try await ciauth.run(["approve", "4711", "--touch-timeout", "11m"], environment: environment)
        #expect(long.status == 64)
        // A valid duration gets past validation (and stops later for want of a token).
        let valid = try await ciauth.run(["approve", "4711", "--project", "1", "--touch-timeout", "45s"], environment: environment)
        #expect(valid.status != 64, "\(valid.stderr)")
    }

    @Test("a token file that others can read, or that holds no token, is a configuration error (78), not usage (64)")
    func tokenFileProblemsAreConfiguration() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("glpat-shared\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let environment = ["CIAUTH_SERVER": "https://gitlab.example.com", "NO_COLOR": "1"]
        let shared = try await ciauth.run(["keys", "list", "--token-file", file.path], environment: environment)
        #expect(shared.status == 78, "\(shared.stderr)")
        #expect(shared.stderr.contains("the token file \(file.path) is readable by other users; run `chmod 600"), "\(shared.stderr)")
        #expect(!shared.stderr.contains("glpat-shared"))
        let empty = try await ciauth.run(["auth", "status", "--token-file", "-"], environment: environment, stdin: "\n")
        #expect(empty.status == 78, "\(empty.stderr)")
        #expect(empty.stderr.contains("standard input holds no token: pipe the token in"), "\(empty.stderr)")
    }

    @Test("a token given where the token file's path goes is not echoed, and the message says what --token-file takes")
    func aTokenInPlaceOfTheTokenFileIsNotEchoed() async throws {
        let result = try await ciauth.run(
            ["auth", "status", "--token-file", "glpat-Zx81qQ3vNm4kLp0sT2wY"], environment: ["CIAUTH_SERVER": "https://gitlab.example.com", "NO_COLOR": "1"])
        #expect(result.status == 78, "\(result.stderr)")
        #expect(!result.stderr.contains("glpat-Zx81") && !result.stdout.contains("glpat-Zx81"), "\(result.stderr)")
        #expect(result.stderr.contains("--token-file names no file"), "\(result.stderr)")
        #expect(result.stderr.contains("or - to read it from stdin"), "\(result.stderr)")
        let help = try await ciauth.run(["auth", "login", "--help"])
        #expect(help.stdout.contains("Read the GitLab token from this file (- for stdin)."), "\(help.stdout)")
    }

    @Test("a gate without its policy file says the file is missing, not that it is unreadable text")
    func gateWithoutItsPolicy() async throws {
        let result = try await ciauth.run(["gate", "check", "--policy", "/nonexistent/gate.yml"], environment: ["NO_COLOR": "1"], stdin: "")
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("the gate policy /nonexistent/gate.yml does not exist"), "\(result.stderr)")
        #expect(!result.stderr.contains("UTF-8"), "\(result.stderr)")
    }

    @Test func ttlOverTheMaximumEchoesTheUsersText() async throws {
        let result = try await ciauth.run(["approve", "4711", "--ttl", "48h"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--ttl 48h exceeds the maximum of 24h"), "\(result.stderr)")
    }

    /// Every option that names a file completes file names in bash, zsh and fish (`keys export
    /// --allowed-signers` is a format flag, not a path: only forms taking a value are checked).
    /// Every `<path>` in --help is a file: group paths are shown as `<group>`.
    @Test(arguments: ["token-file", "ca-file", "allowed-signers", "import", "attestation-roots", "audit", "audit-file", "dotenv", "policy-file", "policy", "id-token-file", "approval-file"])
    func pathOptionsCompleteFileNames(option: String) async throws {
        let fish = try await ciauth.run(["--generate-completion-script", "fish"]).stdout
        let lines = fish.split(separator: "\n").filter { $0.contains("-l '\(option)'") && $0.contains(" -r") }
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasSuffix(" -rF") }, "\(lines)")
        let zsh = try await ciauth.run(["--generate-completion-script", "zsh"]).stdout
        let zshLines = zsh.split(separator: "\n").filter { $0.contains("'--\(option)[") && $0.contains("]:") }
        #expect(!zshLines.isEmpty && zshLines.allSatisfy { $0.hasSuffix(":_files'") }, "\(zshLines)")
        let bash = try await ciauth.run(["--generate-completion-script", "bash"]).stdout
        #expect(bash.contains("'--\(option)')\n        __ciauth_add_completions -f"), "bash: --\(option)")
    }

    @Test func manPageShowsDefaultsAndNoHiddenCommands() throws {
        let page = try String(
            contentsOf: GeneratedFilesTests.packageRoot.appendingPathComponent("Man/ciauth.1"), encoding: .utf8)
        #expect(!page.contains("check-approval"))
        #expect(page.contains("How long the approval stays valid. (default: 1h)"))
        #expect(page.contains("How long to wait for the touch, 1s to 10m (a bare number is seconds). (default: 30s)"))
        let negative = try #require(page.range(of: ".It Fl -no-require-uv\n"))
        #expect(page[negative.upperBound...].hasPrefix("Do not require PIN or biometric verification"))
    }
}
