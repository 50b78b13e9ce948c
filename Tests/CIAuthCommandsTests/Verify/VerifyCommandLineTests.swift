import CIAuthCore
import Foundation
import Testing

/// `ciauth verify` refusing to start without what it needs, run as a process outside any job.
@Suite("ciauth verify: configuration")
struct VerifyCommandLineTests {
    let ciauth = BuiltBinary(name: "ciauth")

    @Test("no pinned server: configuration error, exit 78, and an audit record")
    func noServer() async throws {
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("verify-audit-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: audit) }
        let result = try await ciauth.run(
            ["verify", "--audit-file", audit.path],
            environment: ["CI_PROJECT_DIR": "", "CI_SERVER_URL": "https://gitlab.example.com", "GITLAB_CI": "true"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("pin-missing: no GitLab server is pinned"))
        #expect(result.stderr.contains("what to do: add `--server https://HOST`"))
        let record = try ApprovalAuditRecord(jsonLine: try String(contentsOf: audit, encoding: .utf8).trimmingCharacters(in: .newlines))
        #expect(record.result == "rejected")
        #expect(record.failureClass == "configuration")
    }

    @Test("an emptied CI_JOB_TOKEN inside a job: tampering (exit 15) before any request")
    func emptyJobToken() async throws {
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("verify-audit-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: audit) }
        let result = try await ciauth.run(
            ["verify", "--server", "https://gitlab.example.com/", "--project", "acme/web", "--job-name", "deploy", "--json", "--audit-file", audit.path],
            environment: ["CI_PROJECT_DIR": "", "CI_SERVER_URL": "https://GitLab.example.com:443", "CI_JOB_TOKEN": "", "CI_JOB_ID": "7"])
        #expect(result.status == 15)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        try JSONShape.check(result.stdout, .verify)
        #expect(object?["reason"] as? String == "job-token-missing")
        #expect((object?["checks"] as? [String])?.first?.hasPrefix("server: https://gitlab.example.com") == true)
        #expect(FileManager.default.fileExists(atPath: audit.path))
    }

    /// With every pin or none: a person trying verify in a shell hears first that it runs in a
    /// job, not about one missing pin after another.
    @Test("outside a CI job: says so first (exit 78) and leaves no audit file in the current directory", arguments: [
        ["--server", "https://gitlab.example.com", "--project", "acme/web", "--job-name", "deploy"], [],
    ])
    func outsideAJob(pins: [String]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("verify-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await ciauth.run(
            ["verify"] + pins, environment: ["CI_PROJECT_DIR": "", "NO_COLOR": "1"], unset: ["CI_JOB_TOKEN", "CI_JOB_ID", "GITLAB_CI"],
            workingDirectory: directory)
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: not-in-job: not inside a GitLab CI job"), "\(result.stderr)")
        #expect(!result.stderr.contains("pin-missing"), "\(result.stderr)")
        #expect(result.stderr.contains("what to do: run ciauth verify in the script of the job it gates"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "no audit file in a person's directory")
    }

    @Test("CI_SERVER_URL disagreeing with the pinned server is tampering (exit 15)")
    func serverVariableDisagrees() async throws {
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("verify-audit-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: audit) }
        let result = try await ciauth.run(
            ["verify", "--server", "https://gitlab.example.com", "--project", "42", "--environment", "production", "--audit-file", audit.path],
            environment: ["CI_PROJECT_DIR": "", "CI_SERVER_URL": "https://gitlab.attacker.example", "CI_JOB_TOKEN": "x"])
        #expect(result.status == 15)
        #expect(result.stderr.contains("server-mismatch"))
    }

    @Test("a named policy file that is missing, or misspelt, is a configuration error (exit 78)")
    func policyFileErrors() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("verify-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let misspelt = directory.appendingPathComponent("policy.yml")
        try Data("server: https://gitlab.example.com\napprover: [alice]\n".utf8).write(to: misspelt)
        let audit = directory.appendingPathComponent("audit.json").path
        let pins = ["--server", "https://gitlab.example.com", "--project", "acme/web", "--job-name", "deploy"]
        let missing = try await ciauth.run(
            ["verify", "--policy-file", directory.appendingPathComponent("nope.yml").path, "--audit-file", audit] + pins,
            environment: ["CI_PROJECT_DIR": "", "GITLAB_CI": "true"])
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("does not exist"))
        let wrong = try await ciauth.run(
            ["verify", "--policy-file", misspelt.path, "--audit-file", audit] + pins, environment: ["CI_PROJECT_DIR": "", "GITLAB_CI": "true"])
        #expect(wrong.status == 78)
        #expect(wrong.stderr.contains("unknown key 'approver'"))
    }

    @Test("--members-token-variable is the old name of --read-token-variable: both with different names is a usage error")
    func readTokenVariableAlias() async throws {
        let both = try await ciauth.run(
            ["verify", "--server", "https://gitlab.example.com", "--read-token-variable", "A", "--members-token-variable", "B"],
            environment: ["CI_PROJECT_DIR": ""])
        #expect(both.status == 64)
        #expect(both.stderr.contains("--members-token-variable is the old name of --read-token-variable"))
        let help = try await ciauth.run(["verify", "--help"], environment: [:])
        #expect(help.stdout.contains("--read-token-variable"))
        #expect(!help.stdout.contains("--members-token-variable"), "the old name is accepted, not advertised")
    }
}
