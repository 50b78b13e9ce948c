import CIAuthCore
import Testing

@Suite struct RootCommandTests {
    let ciauth = BuiltBinary(name: "ciauth")

    @Test func versionPrintsTheReleaseOnStdout() async throws {
        let result = try await ciauth.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == CIAuthVersion.description + "\n")
        #expect(result.stdout.hasPrefix(CIAuthVersion.current))
    }

    @Test func helpNamesTheTool() async throws {
        let result = try await ciauth.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: ciauth"))
        #expect(result.stdout.contains("FIDO2 security key"))
    }

    @Test func unknownOptionIsAUsageError() async throws {
        let result = try await ciauth.run(["--no-such-option"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--no-such-option"))
        #expect(result.stdout.isEmpty)
    }
}
