import CIAuthCommands
import CIAuthCore
import Foundation
import Testing

/// Man/ and Completions/ are generated from the command definitions; these tests fail when the
/// committed files drift from what the binary produces (`make man completions` regenerates them).
@Suite struct GeneratedFilesTests {
    /// Tests/CIAuthCommandsTests/Shared/this file → the package root.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let ciauth = BuiltBinary(name: "ciauth")

    @Test(arguments: [("bash", "ciauth.bash"), ("zsh", "_ciauth"), ("fish", "ciauth.fish")])
    func completionScriptMatchesTheBinary(shell: String, file: String) async throws {
        let generated = try await ciauth.run(["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try String(contentsOf: Self.packageRoot.appendingPathComponent("Completions/\(file)"), encoding: .utf8)
        #expect(committed == generated.stdout, "Completions/\(file) is stale: run `make completions`")
    }

    @Test("ciauth --version prints the VERSION file's version, the one place it is set")
    func versionMatchesTheVersionFile() async throws {
        let file = try String(contentsOf: Self.packageRoot.appendingPathComponent("VERSION"), encoding: .utf8)
        let printed = try await ciauth.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let version = file.trimmingCharacters(in: .whitespacesAndNewlines)
        // A release build adds its commit: `0.2.0 (1a2b3c4d5e6f)`.
        #expect(printed == version || printed.hasPrefix(version + " ("), "\(printed)")
        #expect(CIAuthVersion.current == version)
    }

    @Test func manPageMatchesTheBinary() async throws {
        let tool = BuiltBinary.productsDirectory.appendingPathComponent("generate-manual")
        try #require(
            FileManager.default.isExecutableFile(atPath: tool.path),
            "generate-manual is not built: run `make test`, which builds it")
        let script = BuiltBinary(executable: Self.packageRoot.appendingPathComponent("scripts/generate-man.sh"))
        let generated = try await script.run([BuiltBinary.productsDirectory.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let committed = try String(contentsOf: Self.packageRoot.appendingPathComponent("Man/ciauth.1"), encoding: .utf8)
        #expect(committed == generated.stdout, "Man/ciauth.1 is stale: run `make man`")
    }

    @Test func manPageListsEveryExitStatus() throws {
        let page = try String(contentsOf: Self.packageRoot.appendingPathComponent("Man/ciauth.1"), encoding: .utf8)
        for status in ExitStatus.allCases {
            #expect(page.contains(".It \(status.rawValue)\n\(status.summary)\n"), "EXIT STATUS lacks \(status)")
        }
    }
}
