import ChildProcess
import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// `ciauth verify` accepting genuine approvals, run by the simulator's runner as a played job.
extension VerifyEndToEndTests {
    @Suite("ciauth verify: accepted approvals", .serialized)
    struct VerifySuccessTests {
        @Test("a P-256 approval of one job, played by the approver, passes and writes the audit record")
        func singleJob() async throws {
            let world = try VerifyWorld.current
            let dotenv = world.directory.appendingPathComponent("dotenv-\(UUID().uuidString)")
            let pipeline = try await world.pipeline(flags: ["--dotenv", dotenv.path])
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "success", "\(job.log)")
            #expect(job.exitCode == 0)
            #expect(job.log.contains("ok  signature: sk-ecdsa-sha2-nistp256@openssh.com key SHA256:"))
            #expect(job.log.contains("ok  environment: CI_JOB_ID"))
            #expect(job.log.contains("job: \(pipeline.job.id) \"deploy\""))
            #expect(job.log.contains("ciauth-approval-v2\nserver: \(world.sim.baseURL)\n"))
            #expect(job.log.contains("-----BEGIN SSH SIGNATURE-----"))
            #expect(job.log.contains("APPROVED by @alice"))
            let record = try ApprovalAuditRecord(jsonLine: try String(contentsOf: world.auditFile(job: pipeline.job.id), encoding: .utf8)
                .trimmingCharacters(in: .newlines))
            #expect(record.result == "accepted")
            #expect(record.approver == "alice")
            #expect(record.gitlabKeyID == 71)
            #expect(record.job?.jobID == pipeline.job.id)
            #expect(record.job?.player == "alice")
            #expect(record.approval == approval)
            let env = try String(contentsOf: dotenv, encoding: .utf8)
            #expect(env.contains("CIAUTH_APPROVER=alice\n"))
            #expect(env.contains("CIAUTH_KEY_FINGERPRINT=\(try world.alice.publicKey.fingerprint)\n"))
            #expect(env.contains("CIAUTH_GITLAB_KEY_ID=71\n"))
        }

        @Test("a dotenv file already in the work tree is removed when verify does not accept, never uploaded as if it had")
        func staleDotenvIsRemoved() async throws {
            let world = try VerifyWorld.current
            let dotenv = world.directory.appendingPathComponent("dotenv-\(UUID().uuidString)")
            try Data("CIAUTH_RESULT=accepted\nCIAUTH_APPROVER=alice\n".utf8).write(to: dotenv)
            let pipeline = try await world.pipeline(flags: ["--dotenv", dotenv.path])
            let approval = try await world.alice.approve(try world.statement(for: pipeline) { $0.pipelineID += 1 })
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "failed", "\(job.log)")
            #expect(!FileManager.default.fileExists(atPath: dotenv.path), "the earlier dotenv report was left for the artifacts")
        }

        @Test("an Ed25519 key with usage auth_and_signing is accepted; --json prints one object")
        func ed25519Json() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline(flags: ["--json"])
            let approval = try await world.aliceEd25519.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "success", "\(job.log)")
            let object = try JSONSerialization.jsonObject(with: Data(job.log.utf8)) as? [String: Any]
            #expect(object?["result"] as? String == "accepted")
            #expect((object?["checks"] as? [String])?.isEmpty == false)
            #expect((object?["audit"] as? [String: Any])?["keyType"] as? String == "sk-ssh-ed25519@openssh.com")
        }

        /// One touch approves 20 jobs of a pipeline; each job verifies. The script times the whole
        /// `ciauth verify` process (fork to exit) with the runner's clock, for the report.
        @Test("one statement listing 20 jobs: every job verifies with the one signature")
        func twentyJobs() async throws {
            let world = try VerifyWorld.current
            let names = (1...20).map { "deploy-\($0)" }
            let pipeline = try await world.pipeline(jobs: names, scriptWrapper: { command in
                "s=$(date +%s%N); \(command); rc=$?; e=$(date +%s%N); echo \"verify-ns=$((e - s))\"; exit $rc"
            })
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            var durations: [Double] = []
            for job in pipeline.jobs {
                let state = try await world.play(job.id, approval: approval)
                #expect(state.status == "success", "\(job.name): \(state.log)")
                if let line = state.log.split(separator: "\n").last(where: { $0.hasPrefix("verify-ns=") }),
                    let ns = Double(line.dropFirst("verify-ns=".count)) {
                    durations.append(ns / 1e6)
                }
            }
            #expect(durations.count == 20)
            let sorted = durations.sorted()
            let median = (sorted[9] + sorted[10]) / 2
            print("ciauth verify whole-process time in a simulated job: median \(String(format: "%.1f", median)) ms, "
                + "min \(String(format: "%.1f", sorted.first ?? 0)) ms, max \(String(format: "%.1f", sorted.last ?? 0)) ms over \(sorted.count) runs")
        }

        @Test("an offline allowed_signers registry replaces the GitLab profile keys")
        func allowedSigners() async throws {
            let world = try VerifyWorld.current
            let file = world.directory.appendingPathComponent("signers-\(UUID().uuidString)")
            try Data("alice \(try world.aliceEd25519.publicKey.authorizedKeysLine())\n".utf8).write(to: file)
            let pipeline = try await world.pipeline(flags: ["--allowed-signers", file.path])
            let approval = try await world.aliceEd25519.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "success", "\(job.log)")
            #expect(job.log.contains("keys: from the allowed signers file"))
        }

        @Test("a relative allowed_signers path is read as committed at the pipeline's commit")
        func committedAllowedSigners() async throws {
            let world = try VerifyWorld.current
            let repo = try VerifyGitRepository.make(
                in: world.directory, files: ["ci/allowed_signers": "alice \(try world.alice.publicKey.authorizedKeysLine())\n"])
            let pipeline = try await world.pipeline(
                flags: ["--allowed-signers", "ci/allowed_signers"], sha: repo.head, workingDirectory: repo.url.path)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "success", "\(job.log)")
            #expect(job.log.contains("keys: from ci/allowed_signers as committed in \(repo.head)"), "\(job.log)")
        }

        @Test("a --sign-only approval played by a bot passes when the policy allows another player")
        func botPlaysSignOnlyApproval() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline(flags: ["--no-approver-must-be-player"])
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, token: "bot-token", approval: approval)
            #expect(job.status == "success", "\(job.log)")
            #expect(job.log.contains("player: @deploybot played the job with @alice's approval"))
            let record = try ApprovalAuditRecord(jsonLine: try String(contentsOf: world.auditFile(job: pipeline.job.id), encoding: .utf8)
                .trimmingCharacters(in: .newlines))
            #expect(record.result == "accepted" && record.job?.player == "deploybot")
        }

        @Test("a group member approver passes; the read token is used for the members request only")
        func groupMember() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline(flags: ["--approver-group", "release:maintainer", "--read-token-variable", "READ_TOKEN"])
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval, variables: ["READ_TOKEN": "reader-token"])
            #expect(job.status == "success", "\(job.log)")
            #expect(job.log.contains("approver: @alice is Maintainer of release"))
        }

        @Test("flags override .ciauth.yml; a git checkout at the pipeline's commit passes")
        func policyFileAndCheckout() async throws {
            let world = try VerifyWorld.current
            let repo = try VerifyGitRepository.make(in: world.directory, policy: "approvers: [bob]\nrequire_uv: false\n")
            let pipeline = try await world.pipeline(flags: ["--approver", "alice"], sha: repo.head, workingDirectory: repo.url.path)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "success", "\(job.log)")
            #expect(job.log.contains("policy: .ciauth.yml as committed in \(repo.head)"))
            #expect(job.log.contains("checkout: HEAD is \(repo.head)"))
        }

        @Test("CIAUTH_SERVER and CIAUTH_TOKEN set as job variables are ignored: only the pinned server is asked")
        func configurationVariablesIgnored() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await world.pipeline()
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(
                pipeline.job.id, approval: approval,
                variables: ["CIAUTH_SERVER": "http://127.0.0.1:9", "CIAUTH_TOKEN": "stolen", "CI_API_V4_URL": "http://127.0.0.1:9/api/v4"])
            #expect(job.status == "success", "\(job.log)")
        }
    }
}

/// A throwaway git repository with one commit (and optionally a `.ciauth.yml`).
struct VerifyGitRepository {
    let url: URL
    let head: String

    /// A repository with one commit holding `README`, `.ciauth.yml` when `policy` is given, and
    /// `files` (paths relative to the root).
    static func make(in parent: URL, policy: String? = nil, files: [String: String] = [:]) throws -> VerifyGitRepository {
        let url = parent.appendingPathComponent("repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if let policy { try Data(policy.utf8).write(to: url.appendingPathComponent(".ciauth.yml")) }
        for (path, content) in files {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: file)
        }
        try Data("hello\n".utf8).write(to: url.appendingPathComponent("README"))
        for arguments in [["init", "-q"], ["add", "-A"],
                          ["-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "initial"]] {
            _ = try git(arguments, in: url)
        }
        return VerifyGitRepository(url: url, head: try git(["rev-parse", "HEAD"], in: url))
    }

    static func git(_ arguments: [String], in directory: URL) throws -> String {
        try ChildProcess.run("/usr/bin/git", ["-C", directory.path] + arguments, timeout: .seconds(60)).text
    }
}
