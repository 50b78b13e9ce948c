import CIAuthCore
import Foundation
import GitLabSim
import SSHSig
import Testing

/// `ciauth approve` end to end: enroll on the virtual key, approve against the simulator, and
/// check what the played job received with the approval verifier.
@Suite("ciauth approve")
struct ApproveTests {
    @Test("one job by id: shown, signed with one touch, played; the job's approval verifies")
    func approveOneJob() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes", "--reason", "hotfix"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            for expected in ["acme/web", "pipeline  500", "main", "3f9c1a2b", "Release 1.2", "by alice", "9001 deploy:prod", "stage deploy", "environment production", "valid     until", "hotfix"] {
                #expect(result.stderr.contains(expected), "summary lacks \(expected): \(result.stderr)")
            }
            #expect(result.stderr.components(separatedBy: "Touch your security key").count == 2)
            #expect(result.stdout.contains("/acme/web/-/jobs/9001 pending") || result.stdout.contains("/acme/web/-/jobs/9001 running"))
            let job = try await world.sim.waitForJob(id: 9001)
            #expect(job.status == "success", "\(job.log)")
            #expect(job.username == "alice")
            let approval = try world.recordedApproval(job: 9001)
            let verdict = try world.verify(approval, job: 9001, name: "deploy:prod", pipeline: 500, environment: .named("production"))
            #expect(verdict.accepted != nil, "\(String(describing: verdict.rejection))")
            #expect(verdict.accepted?.statement.reason == "hotfix")
        }
    }

    @Test("a job URL names its project; --json reports the play")
    func approveJobURL() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll(["--type", "ed25519"]).status == 0)
            let url = "\(world.sim.baseURL)/acme/web/-/jobs/9001"
            let result = try await world.ciauth(["approve", url, "--yes", "--json"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let jobs = try #require(json["jobs"] as? [[String: Any]])
            try JSONShape.check(result.stdout, .approve)
            #expect(jobs.count == 1)
            #expect(jobs.first?["job_id"] as? Int == 9001)
            #expect(jobs.first?["result"] as? String == "played")
            #expect(json["approver"] as? String == "alice")
            _ = try await world.sim.waitForJob(id: 9001)
            let verdict = try world.verify(try world.recordedApproval(job: 9001), job: 9001, name: "deploy:prod", pipeline: 500, environment: .named("production"))
            #expect(verdict.accepted != nil, "\(String(describing: verdict.rejection))")
        }
    }

    @Test("pipeline --all-manual: 20 jobs, one statement, one assertion, every job played and verified")
    func approvePipeline() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let before = world.key.authenticator.signatureCounter
            world.sim.clearRequests()
            let url = "\(world.sim.baseURL)/acme/web/-/pipelines/600"
            let result = try await world.ciauth(["approve", url, "--all-manual", "--yes", "--environment", "none"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(world.key.authenticator.signatureCounter == before + 1, "exactly one assertion")
            #expect(result.stderr.components(separatedBy: "Touch your security key").count == 2)
            #expect(result.stdout.split(separator: "\n").count == 20)
            let requests = world.sim.requests.filter { $0.path.hasPrefix("/api/v4/") }
            // 20 plays, 3 reads of jobs and deployments, the 4 reads of the check before the touch.
            #expect(requests.count <= 20 + 4 + 4, "requests: \(requests.map { "\($0.method) \($0.path)" })")
            var statements = Set<String>()
            for index in 0..<20 {
                let id = 7001 + index
                let job = try await world.sim.waitForJob(id: id)
                #expect(job.status == "success")
                let approval = try world.recordedApproval(job: id)
                let verdict = try world.verify(approval, job: id, name: "deploy-\(index + 1)", pipeline: 600, environment: .none)
                #expect(verdict.accepted != nil, "job \(id): \(String(describing: verdict.rejection))")
                statements.insert(approval)
            }
            #expect(statements.count == 1, "one approval for all jobs")
        }
    }

    @Test("--job filters the pipeline's manual jobs by glob")
    func approveByJobName() async throws {
        try await ApproveWorld.with(manualJobs: 12) { world in
            try #require(try await world.enroll().status == 0)
            let result = try await world.ciauth(["approve", "600", "--project", "acme/web", "--all-manual", "--job", "deploy-1?", "--yes", "--environment", "none", "--sign-only", "--format", "plain"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("job: 7010 deploy-10\njob: 7011 deploy-11\njob: 7012 deploy-12\nref: main"))
            #expect(!result.stdout.contains("deploy-1\n"))
            #expect(world.sim.jobs().filter { $0.status != "manual" && $0.pipelineId == 600 }.isEmpty, "--sign-only plays nothing")
        }
    }

    @Test("jobs that are not manual are refused with the reason")
    func notManualRefused() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let finished = try await world.ciauth(["approve", "9002", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(finished.status == 1)
            #expect(finished.stderr.contains("playing it again would create a new job"))
            let running = try await world.ciauth(["approve", "9003", "--project", "100", "--yes"] + world.serverArguments)
            #expect(running.status == 1)
            #expect(running.stderr.contains("already queued or running"))
            let missing = try await world.ciauth(["approve", "4242", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(missing.status == 16)
            #expect(missing.stderr.contains("does not exist or is not visible"))
            #expect(world.key.authenticator.signatureCounter == 1, "no touch was asked for")
        }
    }

    @Test("--sign-only --format plain verifies with ssh-keygen -Y verify")
    func signOnlyVerifiesWithOpenSSH() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes", "--sign-only", "--format", "plain"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(world.sim.job(id: 9001)?.status == "manual", "--sign-only does not play")
            let marker = try #require(result.stdout.range(of: "-----BEGIN SSH SIGNATURE-----"))
            let statement = String(result.stdout[..<marker.lowerBound])
            let armor = String(result.stdout[marker.lowerBound...])
            let key = try #require(try world.enrolledKeys().first)
            let signers = world.directory.appendingPathComponent("allowed_signers")
            try Data("alice \(key.authorizedKeysLine())\n".utf8).write(to: signers)
            let signature = world.directory.appendingPathComponent("statement.sig")
            try Data(armor.utf8).write(to: signature)
            let keygen = try #require(ApproveTools.sshKeygen)
            let verified = try await ApproveProcess.run(
                keygen, ["-Y", "verify", "-n", ApprovalProtocol.namespace, "-f", signers.path, "-I", "alice", "-s", signature.path],
                stdin: statement)
            #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
            let transport = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes", "--sign-only"] + world.serverArguments)
            #expect(transport.stdout.hasPrefix("ciauth1:"))
        }
    }

    @Test("no touch before --touch-timeout: device exit status and message")
    func touchTimeout() async throws {
        try await ApproveWorld.with(touch: .wait) { world in
            world.key.authenticator.touch()  // consumed by the enrollment
            try #require(try await world.enroll().status == 0)
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes", "--touch-timeout", "2"] + world.serverArguments)
            #expect(result.status == 20, "\(result.stderr)")
            #expect(result.stderr.contains("Touch your security key"))
            #expect(result.stderr.lowercased().contains("touch"))
            #expect(world.sim.job(id: 9001)?.status == "manual")
        }
    }

    @Test("variables allowed to no one: the project setting is explained before the touch, and nothing is played")
    func variablesNotAllowed() async throws {
        try await ApproveWorld.with(manualJobs: 3, variablesRole: "no_one_allowed") { world in
            try #require(try await world.enroll().status == 0)
            let before = world.key.authenticator.signatureCounter
            let result = try await world.ciauth(["approve", "600", "--project", "acme/web", "--all-manual", "--yes", "--environment", "none"] + world.serverArguments)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("lets no one use pipeline variables"), "\(result.stderr)")
            #expect(result.stderr.contains("Minimum role to use pipeline variables"))
            #expect(world.key.authenticator.signatureCounter == before, "no touch")
            let plays = world.sim.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/play") }
            #expect(plays.isEmpty)
        }
    }

    @Test("without a terminal and without --yes: refused before the touch")
    func noTerminalWithoutYes() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web"] + world.serverArguments)
            #expect(result.status == 64)
            #expect(result.stderr.contains("pass --yes"))
            #expect(world.key.authenticator.signatureCounter == 1)
            #expect(world.sim.job(id: 9001)?.status == "manual")
        }
    }

    @Test("nothing enrolled: told to enroll")
    func nothingEnrolled() async throws {
        try await ApproveWorld.with { world in
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(result.status == 1)
            #expect(result.stderr.contains("ciauth enroll"))
        }
    }

    @Test("a play whose answer is lost is read back and reported truthfully, never sent twice")
    func lostPlayAnswer() async throws {
        try await ApproveWorld.with(manualJobs: 2) { world in
            try #require(try await world.enroll().status == 0)
            try world.sim.setFault(route: SimRoute(method: "POST", path: "/api/v4/projects/*/jobs/7001/play"), fault: .dropAfterEffect, count: 1)
            try world.sim.setFault(route: SimRoute(method: "POST", path: "/api/v4/projects/*/jobs/7002/play"), fault: .status(503), count: 1)
            let result = try await world.ciauth(["approve", "600", "--project", "acme/web", "--all-manual", "--yes", "--environment", "none", "--json"] + world.serverArguments)
            #expect(result.status == 16, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let jobs = try #require(json["jobs"] as? [[String: Any]])
            #expect(jobs.first { $0["job_id"] as? Int == 7001 }?["result"] as? String == "played-despite-lost-answer")
            #expect(jobs.first { $0["job_id"] as? Int == 7002 }?["result"] as? String == "not-played")
            #expect(result.stderr.contains("1 of 2 job(s) not played"))
            let plays = world.sim.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/play") }
            #expect(plays.count == 2, "each job's play sent exactly once")
            #expect(world.sim.job(id: 7002)?.status == "manual")
        }
    }

    @Test("a play whose connection drops while GitLab goes on with it is unknown, with the URL to check, never not-played")
    func droppedPlayIsUnknown() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            // The connection goes at once; GitLab plays the job 8 s later, after every read-back.
            try world.sim.setFault(
                route: SimRoute(method: "POST", path: "/api/v4/projects/*/jobs/9001/play"), fault: .dropThenEffect(afterMilliseconds: 8000),
                count: 1)
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes", "--json"] + world.serverArguments)
            #expect(result.status == 19, "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let job = try #require((json["jobs"] as? [[String: Any]])?.first)
            #expect(job["result"] as? String == "unknown", "\(job)")
            let webURL = try #require(job["web_url"] as? String)
            #expect((job["error"] as? String)?.contains("Check \(webURL)") == true, "\(job)")
            #expect(world.sim.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/play") }.count == 1)
            #expect(try await world.sim.waitForJob(id: 9001).variables.contains { $0.key == "CIAUTH_APPROVAL" }, "GitLab played it after all")
        }
    }

    @Test("a bare job id takes the project from the git remote \"origin\" of the working directory")
    func projectFromGitRemote() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let clone = world.directory.appendingPathComponent("clone")
            try FileManager.default.createDirectory(at: clone, withIntermediateDirectories: true)
            for arguments in [["init", "-q"], ["remote", "add", "origin", "\(world.sim.baseURL)/acme/web.git"]] {
                let git = try await ApproveProcess.run("/usr/bin/env", ["git", "-C", clone.path] + arguments)
                try #require(git.status == 0, "\(git.stderr)")
            }
            let result = try await world.ciauth(["approve", "9001", "--yes", "--sign-only"] + world.serverArguments, in: clone)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("of acme/web (project 100)"))
            let outside = try await world.ciauth(["approve", "9001", "--yes"] + world.serverArguments, in: world.directory)
            #expect(outside.status == 1)
            #expect(outside.stderr.contains("which project?"))
        }
    }
}
