import CIAuthCore
import ChildProcess
import Foundation
import GitLab
import GitLabSim
import Testing

extension GateTests {
    /// The built binaries: a played job hands its ID token and approval to `ciauth gate exec`
    /// the way an SSH forced command receives them (stdin, a scrubbed environment, the client's
    /// command ignored), and `gate check` for scripts.
    @Suite("end to end")
    struct GateEndToEndTests {
        static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

        @Test("a played job passes the gate once: the protected command runs exactly once, a second try exits 18")
        func playedJobRunsOnce() async throws {
            let world = try GateWorld.current
            let policy = try world.policy()
            let ran = policy.directory.appendingPathComponent("ran.txt").path
            let ciauth = BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path
            // A forced command: the job's own variables do not reach the target; CIAUTH_* set by
            // the caller are dropped; SSH_ORIGINAL_COMMAND is not obeyed.
            let deploy = "printf '%s\\n%s\\n' \"$CIAUTH_ID_TOKEN\" \"$CIAUTH_APPROVAL\" | env -i PATH=/usr/bin:/bin "
                + "SSH_ORIGINAL_COMMAND='rm -rf /' CIAUTH_APPROVER=mallory \(Self.quoted(ciauth)) gate exec --policy \(Self.quoted(policy.path)) "
                + "-- /bin/sh -c 'echo \"$CIAUTH_JOB_ID $CIAUTH_APPROVER $CIAUTH_ENVIRONMENT $CIAUTH_PASS\" >> \(ran)'"
            let script = "\(deploy); echo \"first=$?\"; \(deploy); echo \"second=$?\""
            let job = try await world.job(script: script)
            let approval = try await world.approval(for: job)
            let client = try GitLabClient(server: GitLabServer(world.sim.baseURL), credentials: .accessToken("alice-token"))
            do {
                _ = try await client.play(job: job.id, in: .id(GateWorld.projectID), variables: [PlayVariable(key: "CIAUTH_APPROVAL", value: approval)])
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
            let finished = try await world.sim.waitForJob(id: job.id, timeout: .seconds(60))
            #expect(finished.log.contains("first=0"), "\(finished.log)")
            #expect(finished.log.contains("second=18"), "\(finished.log)")
            #expect(finished.log.contains("already-passed"))
            let lines = try String(contentsOfFile: ran, encoding: .utf8).split(separator: "\n")
            #expect(lines == ["\(job.id) alice production 1"])
        }

        @Test("gate check: exit status and --json; a refused token never runs anything and is never printed")
        func check() async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            let token = try world.simToken(job)
            let approval = try await world.approval(for: job)
            let policy = try world.policy()
            let ciauth = BuiltBinary(name: "ciauth")
            let forged = try await world.mint(claims: try world.claims(of: token), kid: try GateWorld.keyID(of: token), mode: "none")
            let refused = try await ciauth.run(["gate", "check", "--policy", policy.path, "--json"], stdin: forged + "\n" + approval + "\n")
            #expect(refused.status == 17)
            #expect(refused.stderr.contains("token-algorithm"))
            #expect(!refused.stdout.contains(forged) && !refused.stderr.contains(forged))
            let passed = try await ciauth.run(["gate", "check", "--policy", policy.path, "--json"], stdin: token + "\n" + approval + "\n")
            #expect(passed.status == 0, "\(passed.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(passed.stdout.utf8)) as? [String: Any])
            try JSONShape.check(passed.stdout, .gateCheck)
            #expect(object["result"] as? String == "accepted")
            #expect(!passed.stdout.contains(token))
            let again = try await ciauth.run(["gate", "check", "--policy", policy.path], stdin: token + "\n" + approval + "\n")
            #expect(again.status == 18)
            let big = try await ciauth.run(["gate", "check", "--policy", policy.path], stdin: String(repeating: "a", count: 20_000) + "\n")
            #expect(big.status == 17 && big.stderr.contains("token-oversize"))
            let noPolicy = try await ciauth.run(["gate", "check", "--policy", policy.directory.appendingPathComponent("none.yml").path], stdin: token + "\n")
            #expect(noPolicy.status == 78)
        }

        @Test("concurrent gate processes on one host never both pass the same job")
        func concurrentProcesses() async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            let policy = try world.policy()
            let input = policy.directory.appendingPathComponent("input.txt")
            try (try world.simToken(job) + "\n" + (try await world.approval(for: job)) + "\n").write(to: input, atomically: true, encoding: .utf8)
            // The key set is cached first, so the processes race on the pass store alone.
            let warm = try await world.job()
            _ = try await world.decide(token: try world.simToken(warm), approval: try await world.approval(for: warm), policyPath: policy.path)
            let ciauth = BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path
            let children = try (0..<8).map { _ in
                try ChildProcess.spawn(
                    ciauth, ["gate", "check", "--policy", policy.path], environment: ProcessInfo.processInfo.environment,
                    stdin: .file(input.path), stdout: .file("/dev/null"), stderr: .file("/dev/null"))
            }
            var statuses: [Int32] = []
            for child in children { statuses.append(await child.exit(timeout: .seconds(120)).status) }
            #expect(statuses.filter { $0 == 0 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 18 }.count == 7, "\(statuses)")
        }
    }
}
