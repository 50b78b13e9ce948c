import Foundation
import GitLab
import GitLabSim
import Testing

/// Errors, retries and the play-once rule against the simulator's fault injection.
@Suite struct FaultTests {
    let userRoute = SimRoute(method: "GET", path: "/api/v4/user")
    let playRoute = SimRoute(method: "POST", path: "/api/v4/projects/*/jobs/*/play")
    let approval = [PlayVariable(key: "CIAUTH_APPROVAL", value: "statement-and-signature")]

    @Test func invalidTokenIsUnauthorized() async throws {
        try await withSimulator(credentials: .accessToken("wrong-token")) { _, client in
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .unauthorized && error?.status == 401)
            #expect(error?.serverMessage == "401 Unauthorized")
            #expect(error?.description.contains("wrong-token") == false)
        }
    }

    @Test func readOnlyTokenLacksScope() async throws {
        try await withSimulator(credentials: .accessToken("alice-read")) { _, client in
            let me = try await client.currentUser()
            #expect(me.username == "alice")
            let error = await expectGitLabError { _ = try await client.addOwnKey(NewSSHKey(title: "k", key: TestKeys.sk2)) }
            #expect(error?.code == .insufficientScope)
            #expect(error?.requiredScope == "api")
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .status(429, retryAfter: 1), count: 1)
            let started = ContinuousClock.now
            #expect(try await client.currentUser().username == "alice")
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(950))
            // Waits what was asked, not a ceiling (8 s backoff, 60 s Retry-After); loose for loaded machines.
            #expect(elapsed < .seconds(20))
            #expect(sim.count("GET", "/api/v4/user") == 2)
        }
    }

    @Test func tooLongRetryAfterFailsAtOnce() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .status(429, retryAfter: 120), count: 1)
            let started = ContinuousClock.now
            let error = await expectGitLabError { _ = try await client.currentUser() }
            // Failing at once, not after the 120 s asked for; the margin absorbs a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(error?.code == .rateLimited && error?.retryAfterSeconds == 120)
            #expect(error?.serverMessage == "Retry later")
            #expect(sim.count("GET", "/api/v4/user") == 1)
        }
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsAreRetriedForReads(_ status: Int) async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .status(status), count: 2)
            #expect(try await client.currentUser().username == "alice")
            #expect(sim.count("GET", "/api/v4/user") == 3)
        }
    }

    @Test func retriesAreBounded() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .status(503), count: 10)
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .serverError && error?.status == 503)
            #expect(sim.count("GET", "/api/v4/user") == 4)
        }
    }

    @Test func persistentInternalServerErrorFailsAfterRetries() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .status(500))
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .serverError && error?.status == 500)
            #expect(sim.count("GET", "/api/v4/user") == 4)
        }
    }

    @Test(arguments: [500, 502, 503])
    func writesAreNeverRepeated(_ status: Int) async throws {
        try await withSimulator { sim, client in
            // A 500 may come after the server acted: a write is sent once, whatever the status.
            try sim.setFault(route: SimRoute(method: "DELETE", path: "/api/v4/user/keys/*"), fault: .status(status))
            let error = await expectGitLabError { try await client.deleteOwnKey(id: 71) }
            #expect(error?.code == .serverError && error?.status == status)
            #expect(sim.count("DELETE", "/api/v4/user/keys/71") == 1)
            try sim.setFault(route: SimRoute(method: "POST", path: "/api/v4/user/keys"), fault: .status(status))
            _ = await expectGitLabError { _ = try await client.addOwnKey(NewSSHKey(title: "k", key: TestKeys.sk2)) }
            #expect(sim.count("POST", "/api/v4/user/keys") == 1)
        }
    }

    @Test func droppedAndTruncatedResponsesAreRetriedForReads() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .drop, count: 1)
            #expect(try await client.currentUser().username == "alice")
            try sim.setFault(route: userRoute, fault: .truncate(at: 10), count: 1)
            #expect(try await client.currentUser().username == "alice")
        }
    }

    @Test func htmlErrorPageFromAProxy() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .html(502), count: 10)
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .serverError && error?.status == 502)
            #expect(error?.serverMessage?.contains("HTML") == true)
        }
    }

    @Test func garbageBodyIsMalformed() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .status(200, body: "not json at all"), count: 1)
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .malformedResponse)
        }
    }

    @Test func redirectsAreNotFollowed() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: userRoute, fault: .status(301), count: 1)
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .redirected && error?.status == 301)
            #expect(sim.count("GET", "/api/v4/user") == 1)
        }
    }

    @Test func slowServerTimesOut() async throws {
        var options = GitLabClientOptions.fastTest
        options.requestTimeout = .milliseconds(300)
        options.retry.maxRetries = 0
        try await withSimulator(options: options) { sim, client in
            try sim.setFault(route: userRoute, fault: .delay(milliseconds: 2000), count: 1)
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .timeout)
        }
    }

    @Test func refusedConnection() async throws {
        // Port 1 on loopback: nothing listens there.
        let client = try GitLabClient(server: try GitLabServer("http://127.0.0.1:1"), credentials: .anonymous, options: .fastTest)
        let error = await expectGitLabError { _ = try await client.keys(ofUser: "alice") }
        #expect(error?.code == .connectionFailed, "\(String(describing: error))")
        try await client.shutdown()
    }

    // MARK: Play is sent once

    @Test(arguments: [500, 503])
    func playIsNeverRetriedOnAServerError(_ status: Int) async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: playRoute, fault: .status(status), count: 1)
            let outcome = try await client.play(job: 9001, in: .id(100), variables: approval)
            guard case .notPlayed(let job, let cause) = outcome else {
                Issue.record("expected notPlayed, got \(outcome)")
                return
            }
            #expect(job.status == .manual && cause.code == .serverError && !outcome.isPlayedByUs)
            #expect(sim.count("POST", "/jobs/9001/play") == 1)
            #expect(sim.job(id: 9001)?.status == "manual")
        }
    }

    @Test func playIsNeverRetriedOn429() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: playRoute, fault: .status(429, retryAfter: 1), count: 1)
            let error = await expectGitLabError { _ = try await client.play(job: 9001, in: .id(100), variables: approval) }
            #expect(error?.code == .rateLimited)
            #expect(sim.count("POST", "/jobs/9001/play") == 1)
        }
    }

    /// A dropped connection says nothing about whether GitLab goes on with the play: a job still
    /// manual afterwards is undetermined, never "not played".
    @Test func connectionDroppedBeforeThePlay() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: playRoute, fault: .drop, count: 1)
            let outcome = try await client.play(job: 9001, in: .id(100), variables: approval)
            guard case .undetermined(_, let cause) = outcome else {
                Issue.record("expected undetermined, got \(outcome)")
                return
            }
            #expect(cause.code == .connectionDropped && !outcome.isPlayedByUs)
            #expect(sim.count("POST", "/jobs/9001/play") == 1)
            #expect(sim.job(id: 9001)?.variables.isEmpty == true)
        }
    }

    @Test func connectionDroppedAfterTheServerPlayed() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: playRoute, fault: .dropAfterEffect, count: 1)
            let outcome = try await client.play(job: 9001, in: .id(100), variables: approval)
            guard case .playedDespiteLostAnswer(let job, let cause) = outcome else {
                Issue.record("expected playedDespiteLostAnswer, got \(outcome)")
                return
            }
            #expect(outcome.isPlayedByUs)
            #expect(job.id == 9001 && job.status != .manual && job.user?.username == "alice")
            #expect(cause.code == .connectionDropped)
            // Exactly one play reached the server, with our variables.
            #expect(sim.count("POST", "/jobs/9001/play") == 1)
            let state = try await sim.waitForJob(id: 9001, timeout: .seconds(20))
            #expect(state.variables == [SimVariable(key: "CIAUTH_APPROVAL", value: "statement-and-signature")])
            #expect(sim.jobs().filter { $0.retriedFromId == 9001 }.isEmpty)
        }
    }

    /// The read-back after a lost answer must describe the job that was played: another job's
    /// object (a cache in front of GitLab answering for the wrong path) proves nothing.
    @Test func readBackThatDescribesAnotherJobIsUnknown() async throws {
        try await withSimulator { sim, client in
            let other = #"{"id":9003,"name":"build","stage":"build","status":"success","ref":"main","tag":false,"# +
                #""web_url":"\#(sim.baseURL)/acme/deployer/-/jobs/9003","# +
                #""user":{"id":2,"username":"alice","name":"Alice Example","state":"active"},"# +
                #""pipeline":{"id":500,"project_id":100,"sha":"\#(Seeds.sha)","ref":"main","status":"running"}}"#
            try sim.setFault(route: playRoute, fault: .status(500), count: 1)
            try sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/projects/100/jobs/9001"), fault: .status(200, body: other))
            let outcome = try await client.play(job: 9001, in: .id(100), variables: approval)
            guard case .unknown(let cause, let recheck) = outcome else {
                Issue.record("expected unknown, got \(outcome)")
                return
            }
            #expect(!outcome.isPlayedByUs && cause.status == 500)
            #expect(recheck.code == .malformedResponse && recheck.description.contains("9003"), "\(recheck)")
            #expect(sim.job(id: 9001)?.status == "manual")
        }
    }

    @Test func lostAnswerWhenSomeoneElsePlayed() async throws {
        try await withSimulator(credentials: .accessToken("bob-token")) { sim, bob in
            // alice's play goes through first; bob's answer is lost (server error after nothing).
            try await withClient(sim, credentials: .accessToken("alice-token")) { alice in
                _ = try await alice.play(job: 9002, in: .id(100))
            }
            try sim.setFault(route: playRoute, fault: .status(502), count: 1)
            let outcome = try await bob.play(job: 9002, in: .id(100))
            guard case .playedByAnother(let job, _) = outcome else {
                Issue.record("expected playedByAnother, got \(outcome)")
                return
            }
            #expect(job.user?.username == "alice" && !outcome.isPlayedByUs)
        }
    }

    @Test func lostAnswerAndUnreadableJob() async throws {
        try await withSimulator { sim, client in
            try sim.setFault(route: playRoute, fault: .dropAfterEffect, count: 1)
            try sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/projects/*/jobs/*"), fault: .status(500), count: 10)
            let outcome = try await client.play(job: 9001, in: .id(100), variables: approval)
            guard case .unknown(let cause, let recheck) = outcome else {
                Issue.record("expected unknown, got \(outcome)")
                return
            }
            #expect(cause.code == .connectionDropped && recheck.code == .serverError && !outcome.isPlayedByUs)
            #expect(sim.count("POST", "/jobs/9001/play") == 1)
        }
    }

    // MARK: Redaction

    @Test func logsNeverContainTokensOrVariableValues() async throws {
        let capture = LogCapture()
        try await withSimulator(logger: capture.logger()) { sim, client in
            try sim.setFault(route: userRoute, fault: .status(503), count: 1)
            _ = try await client.currentUser()
            _ = try await client.play(job: 9001, in: .id(100), variables: approval)
            _ = try? await client.project(.path("acme/nothing"))
        }
        let lines = capture.lines
        #expect(lines.count >= 4)
        for line in lines {
            #expect(!line.contains("alice-token"), "\(line)")
            #expect(!line.contains("statement-and-signature"), "\(line)")
        }
        #expect(lines.contains { $0.contains("method=GET") && $0.contains("path=/api/v4/user") && $0.contains("status=503") })
        #expect(lines.contains { $0.contains("status=200") && $0.contains("ms=") })
        #expect(lines.contains { $0.contains("auth=PRIVATE-TOKEN: [REDACTED]") })
        #expect(lines.contains { $0.contains("CIAUTH_APPROVAL=[REDACTED]") })
        #expect(lines.contains { $0.contains("attempt=2") })
    }
}
