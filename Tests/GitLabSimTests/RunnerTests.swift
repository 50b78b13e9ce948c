import ChildProcess
import Foundation
import GitLabSim
import Testing

/// The embedded runner: predefined variables, precedence, job token lifetime (§1.5, §6).
@Suite struct RunnerTests {
    /// Runs one manual job with `script`, played by alice with `variables` (JSON list items).
    static func run(
        _ script: String, variables: String? = nil, runner: SimSeed.Runner? = nil, workingDirectory: String? = nil
    ) async throws -> SimJobState {
        var job = TestSeeds.manualJob(8100, script: script, environment: "production")
        job.workingDirectory = workingDirectory
        job.variables = ["YAML_ONLY": "yaml", "LAYERED": "yaml"]
        return try await withSimulator(try TestSeeds.withJobs([job], runner: runner)) { simulator, http in
            let body = variables.map { #"{"job_variables_attributes":[\#($0)]}"# }
            let played = try await http.post("/api/v4/projects/100/jobs/8100/play", token: "alice-token", json: body)
            try #require(played.status == 200, "\(played.text)")
            return try await simulator.waitForJob(id: 8100)
        }
    }

    static func environment(from log: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in log.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }

    @Test func predefinedVariablesDescribeTheJob() async throws {
        let job = try await Self.run("env")
        #expect(job.status == "success")
        let env = Self.environment(from: job.log)
        #expect(env["CI"] == "true")
        #expect(env["GITLAB_CI"] == "true")
        #expect(env["CI_SERVER_URL"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(env["CI_API_V4_URL"] == (env["CI_SERVER_URL"] ?? "") + "/api/v4")
        #expect(env["CI_PROJECT_ID"] == "100")
        #expect(env["CI_PROJECT_PATH"] == "acme/platform/deployer")
        #expect(env["CI_PIPELINE_ID"] == "700")
        #expect(env["CI_JOB_ID"] == "8100")
        #expect(env["CI_JOB_NAME"] == "job-8100")
        #expect(env["CI_JOB_STAGE"] == "deploy")
        #expect(env["CI_JOB_MANUAL"] == "true")
        #expect(env["CI_COMMIT_SHA"] == "feedfacefeedfacefeedfacefeedfacefeedface")
        #expect(env["CI_COMMIT_REF_NAME"] == "main")
        #expect(env["CI_ENVIRONMENT_NAME"] == "production")
        #expect(env["GITLAB_USER_LOGIN"] == "alice")
        #expect(env["GITLAB_USER_ID"] == "2")
        #expect(env["CI_JOB_TOKEN"] == "[MASKED]", "the token is masked in the log")
        #expect(env["PATH"] == ProcessInfo.processInfo.environment["PATH"])
        #expect(env["DEPLOY_TARGET"] == "staging-cluster", "project variable")
        #expect(env["YAML_ONLY"] == "yaml")
    }

    @Test func jobVariablesOverridePredefinedAndProjectVariables() async throws {
        let overrides = [
            #"{"key":"CI_JOB_ID","value":"1"}"#, #"{"key":"GITLAB_USER_LOGIN","value":"mallory"}"#,
            #"{"key":"CI_SERVER_URL","value":"https://evil.example"}"#, #"{"key":"CI_JOB_TOKEN","value":"stolen"}"#,
            #"{"key":"DEPLOY_TARGET","value":"prod-cluster"}"#, #"{"key":"LAYERED","value":"job"}"#,
        ].joined(separator: ",")
        let job = try await Self.run("env", variables: overrides)
        let env = Self.environment(from: job.log)
        #expect(env["CI_JOB_ID"] == "1")
        #expect(env["GITLAB_USER_LOGIN"] == "mallory")
        #expect(env["CI_SERVER_URL"] == "https://evil.example")
        #expect(env["CI_JOB_TOKEN"] == "stolen")
        #expect(env["DEPLOY_TARGET"] == "prod-cluster")
        #expect(env["LAYERED"] == "job")
    }

    @Test func exitStatusDecidesTheOutcome() async throws {
        let job = try await Self.run("echo out; echo err >&2; exit 7")
        #expect(job.status == "failed")
        #expect(job.exitCode == 7)
        #expect(job.log == "out\nerr\n")
        #expect(job.tokenActive == false)
    }

    @Test func pathPrependAndWorkingDirectoryComeFromTheSeed() async throws {
        let tools = try makeTemporaryDirectory()
        let work = try makeTemporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: tools)
            try? FileManager.default.removeItem(at: work)
        }
        let tool = tools.appendingPathComponent("sim-test-tool")
        // Written by a shell of its own: a file this process writes is also open in any child
        // another suite is starting at that moment, and executing it then fails with ETXTBSY.
        let written = try ChildProcess.run(
            "/bin/sh", ["-c", #"cat > "$1" && chmod 755 "$1""#, "sh", tool.path], input: Data("#!/bin/sh\necho tool-ran\n".utf8),
            timeout: .seconds(30))
        try #require(written.exit.succeeded)
        let job = try await Self.run(
            "sim-test-tool; pwd; echo \"$CI_PROJECT_DIR\"",
            runner: SimSeed.Runner(pathPrepend: [tools.path]), workingDirectory: work.path
        )
        let lines = job.log.split(separator: "\n").map(String.init)
        #expect(lines.first == "tool-ran")
        let resolved = work.resolvingSymlinksInPath().path
        #expect(lines.dropFirst().allSatisfy { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path == resolved })
    }

    @Test func timeoutKillsTheScript() async throws {
        let job = try await Self.run("sleep 30", runner: SimSeed.Runner(timeoutSeconds: 1))
        #expect(job.status == "failed")
        #expect(job.exitCode != 0)
    }

    @Test func jobTokenIsValidOnlyWhileTheJobRuns() async throws {
        try await withSimulator { simulator, http in
            let running = try await RunningJob.start(simulator: simulator, http: http)
            defer { running.cleanUp() }
            #expect(running.value.hasPrefix("glcbt-"))
            #expect(simulator.job(id: running.jobId)?.tokenActive == true)
            for headers in [[("JOB-TOKEN", running.value)], [("Authorization", "Bearer \(running.value)")]] {
                let current = try await http.get("/api/v4/job", headers: headers)
                #expect(current.status == 200)
                #expect(current.json?["id"]?.intValue == running.jobId)
                #expect(current.json?["status"]?.stringValue == "running")
                #expect(current.json?["user"]?["username"]?.stringValue == "alice")
                #expect(current.json?["pipeline"]?["project_id"]?.intValue == 100)
            }
            let byQuery = try await http.get("/api/v4/job?job_token=\(running.value)")
            #expect(byQuery.status == 200)
            let deployments = try await http.get("/api/v4/projects/100/deployments", headers: [("JOB-TOKEN", running.value)])
            #expect(deployments.status == 200, "deployments accept job tokens")
            let withPAT = try await http.get("/api/v4/job", token: "alice-token")
            #expect(withPAT.status == 404)
            #expect(withPAT.message == "404 Job Not Found")
            running.release()
            let finished = try await simulator.waitForJob(id: running.jobId)
            #expect(finished.status == "success")
            let after = try await http.get("/api/v4/job", headers: [("JOB-TOKEN", running.value)])
            #expect(after.status == 401)
            #expect(after.message == "401 Unauthorized")
            #expect(try await http.get("/api/v4/job").status == 401)
        }
    }
}

/// Logs while running, and leftovers of a finished script.
@Suite struct RunnerLogTests {
    @Test func traceShowsOutputWhileTheJobRuns() async throws {
        try await withSimulator { simulator, http in
            let running = try await RunningJob.start(simulator: simulator, http: http, after: "echo after-release")
            defer { running.cleanUp() }
            let trace = try await http.get("/api/v4/projects/100/jobs/\(running.jobId)/trace", token: "bob-token")
            #expect(trace.status == 200)
            #expect(!trace.text.contains("after-release"))
            running.release()
            let finished = try await simulator.waitForJob(id: running.jobId)
            #expect(finished.log == "after-release\n")
        }
    }

    @Test func backgroundLeftoversDoNotKeepTheJobRunning() async throws {
        let start = ContinuousClock.now
        let job = try await RunnerTests.run("sleep 180 & echo started-background")
        #expect(job.status == "success")
        #expect(job.log == "started-background\n")
        // A runner that waited for the leftover would take its full 180 s; the wide margin absorbs a
        // loaded machine, where other suites' in-process simulators can hold both cooperative threads.
        #expect(ContinuousClock.now - start < .seconds(120))
    }

    @Test func headRequestsCarryNoBody() async throws {
        try await withSimulator { _, http in
            let head = try await http.send("HEAD", "/api/v4/users/alice/keys")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("x-total") == "3")
        }
    }
}
