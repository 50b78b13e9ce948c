import Foundation
import Testing

@testable import CIAuthCommands

/// On/off settings are `--x/--no-x` flag pairs; the value spellings verify took before still work.
@Suite struct BoolFlagStyleTests {
    let ciauth = BuiltBinary(name: "ciauth")

    @Test func formerValueSpellingsBecomeFlags() {
        let (arguments, notes) = LegacyBoolSpelling.rewrite([
            "verify", "--allow-self-approval=false", "--approver-must-be-player", "true", "--require-uv", "--approver", "false",
        ])
        #expect(arguments == ["verify", "--no-allow-self-approval", "--approver-must-be-player", "--require-uv", "--approver", "false"])
        #expect(notes.count == 2)
        #expect(LegacyBoolSpelling.rewrite(["verify", "--", "--allow-self-approval=false"]).arguments
            == ["verify", "--", "--allow-self-approval=false"])
    }

    @Test("verify --help shows every on/off setting as a --x/--no-x pair, none taking a value")
    func verifyHelpShowsPairs() async throws {
        let help = try await ciauth.run(["verify", "--help"]).stdout
        for name in ["approver-must-be-player", "require-uv", "allow-self-approval"] {
            #expect(help.contains("--\(name)/--no-\(name)"), "--\(name)")
        }
        #expect(!help.contains("<bool>"))
    }

    @Test("the former spelling still parses (with a note) and the new one parses: neither is a usage error")
    func bothSpellingsParse() async throws {
        let environment = ["CI_PROJECT_DIR": "", "CI_SERVER_URL": "https://gitlab.example.com", "CI_JOB_TOKEN": "", "CI_JOB_ID": "7"]
        let base = ["verify", "--server", "https://gitlab.example.com", "--project", "acme/web", "--job-name", "deploy", "--audit-file", "/dev/null"]
        let former = try await ciauth.run(base + ["--allow-self-approval", "false", "--approver-must-be-player=false"], environment: environment)
        #expect(former.status == 15, "\(former.stderr)")  // job-token-missing: parsing succeeded
        #expect(former.stderr.contains("former spelling of --no-allow-self-approval"))
        #expect(former.stderr.contains("former spelling of --no-approver-must-be-player"))
        let current = try await ciauth.run(base + ["--no-allow-self-approval", "--no-approver-must-be-player"], environment: environment)
        #expect(current.status == 15, "\(current.stderr)")
        #expect(!current.stderr.contains("former spelling"))
        let wrong = try await ciauth.run(base + ["--allow-self-approval=maybe"], environment: environment)
        #expect(wrong.status == 64)
    }
}
