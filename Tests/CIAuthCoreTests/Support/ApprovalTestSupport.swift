import Foundation
import Testing

@testable import CIAuthCore

/// Shared builders and fixtures for the approval tests.
enum Sample {
    static let issuedAt = ApprovalTimestamp(rfc3339: "2026-11-28T21:00:00Z")!
    static let expiresAt = ApprovalTimestamp(rfc3339: "2026-11-28T22:00:00Z")!
    static let commit = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c"
    static let nonce: [UInt8] = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]

    /// The jobs of docs/protocol.md section 1.1, each with its environment.
    static let jobs: [ApprovalStatement.Job] = [
        .init(id: 1_200_300, name: "deploy:production", environment: .named("production")),
        .init(id: 1_200_301, name: "migrate db", environment: .named("production/eu")),
    ]

    /// The statement of docs/protocol.md section 1.1 (= Fixtures/statement-v2.txt); `environment`,
    /// when given, replaces every job's environment.
    static func statement(
        server: String = "https://gitlab.example.com", projectID: Int = 4242,
        projectPath: String = "acme/platform/web", pipelineID: Int = 987_654,
        jobs: [ApprovalStatement.Job] = jobs,
        ref: String = "main", commitSHA: String = commit,
        environment: ApprovalStatement.Environment? = nil, approver: String = "alice", approverID: Int = 42,
        issuedAt: ApprovalTimestamp = issuedAt, expiresAt: ApprovalTimestamp = expiresAt, nonce: [UInt8] = nonce,
        reason: String? = "Release 1.2 — hotfix for #231"
    ) throws -> ApprovalStatement {
        try ApprovalStatement(
            server: server, projectID: projectID, projectPath: projectPath, pipelineID: pipelineID,
            jobs: environment.map { environment in jobs.map { $0.with(environment) } } ?? jobs,
            ref: ref, commitSHA: commitSHA, approver: approver, approverID: approverID, issuedAt: issuedAt,
            expiresAt: expiresAt, nonce: nonce, reason: reason)
    }

    /// The job's truth matching `statement()` for its first job.
    static func facts(jobID: Int = 1_200_300, jobName: String = "deploy:production") -> JobFacts {
        JobFacts(
            server: "https://gitlab.example.com", projectID: 4242, projectPath: "acme/platform/web",
            pipelineID: 987_654, jobID: jobID, jobName: jobName, ref: "main", commitSHA: commit,
            environment: .named(jobID == 1_200_301 ? "production/eu" : "production"))
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    /// The package root: the nearest directory above the running test binary with a Package.swift.
    static var repositoryRoot: URL {
        get throws {
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" {
                if FileManager.default.fileExists(atPath: directory.appending(path: "Package.swift").path) { return directory }
                directory.deleteLastPathComponent()
            }
            throw CocoaError(.fileNoSuchFile)
        }
    }

    /// The build products directory (`.build/debug` on Linux), where executables live.
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Rebuilds statement bytes with one line replaced (by key, first occurrence).
    static func replacingLine(_ key: String, with line: String, in bytes: [UInt8]) -> [UInt8] {
        var lines = text(bytes).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let index = lines.firstIndex(where: { $0.hasPrefix(key + ": ") }) { lines[index] = line }
        return Array(lines.joined(separator: "\n").utf8)
    }
}

/// Expects `body` to throw an `ApprovalRejection` with `reason`.
func expectRejection(
    _ reason: ApprovalRejection.Reason, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected rejection \(reason.rawValue), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let rejection as ApprovalRejection {
        #expect(rejection.reason == reason, "\(rejection)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected ApprovalRejection \(reason.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
}
