import Foundation
import GitLabSim
import Testing

/// `POST /projects/:id/jobs/:job_id/play` semantics (gitlab-api.md §1.3, §1.4, §6.3).
@Suite struct PlayTests {
    static let signature = #"{"job_variables_attributes":[{"key":"CIAUTH_SIG","value":"-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----"}]}"#

    @Test func playingAManualJobRunsItAsThePlayer() async throws {
        try await withSimulator { simulator, http in
            let response = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", json: Self.signature)
            #expect(response.status == 200)
            #expect(response.json?["id"]?.intValue == 9001)
            #expect(response.json?["status"]?.stringValue == "pending")
            #expect(response.json?["user"]?["username"]?.stringValue == "bob")
            let finished = try await simulator.waitForJob(id: 9001)
            #expect(finished.status == "success")
            #expect(finished.username == "bob")
            #expect(finished.variables == [SimVariable(key: "CIAUTH_SIG", value: "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----")])
            #expect(finished.log == "deploying 3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c as bob to staging-cluster\n")
            let trace = try await http.get("/api/v4/projects/100/jobs/9001/trace", token: "bob-token")
            #expect(trace.text == finished.log)
            let again = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token")
            #expect(again.status == 200, "a finished manual job is retried")
        }
    }

    @Test func nonManualOrBusyJobsAreUnplayable() async throws {
        try await withSimulator { simulator, http in
            let build = try await http.post("/api/v4/projects/100/jobs/9000/play", token: "alice-token")
            #expect(build.status == 400)
            #expect(build.json == .object([("message", .string("400 Bad request - Unplayable Job"))]))
            let running = try await RunningJob.start(simulator: simulator, http: http)
            defer { running.release(); running.cleanUp() }
            let busy = try await http.post("/api/v4/projects/100/jobs/\(running.jobId)/play", token: "alice-token")
            #expect(busy.status == 400)
            #expect(busy.message == "400 Bad request - Unplayable Job")
        }
    }

    @Test func playNeedsDeveloperAndMaintainerOnProtectedRefs() async throws {
        try await withSimulator { simulator, http in
            let reporter = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "carol-token")
            #expect(reporter.status == 403)
            #expect(reporter.json == .object([("message", .string("403 Forbidden"))]))
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play", token: "mallory-token").status == 404)
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play").status == 401)
            let protected = try await http.post("/api/v4/projects/100/jobs/9100/play", token: "bob-token")
            #expect(protected.status == 403, "developer on a protected ref")
            #expect(try await http.post("/api/v4/projects/100/jobs/9100/play", token: "alice-token").status == 200)
            #expect(simulator.job(id: 9001)?.status == "manual", "refused plays change nothing")
        }
    }

    @Test func variablesNeedTheProjectSetting() async throws {
        try await withSimulator { simulator, http in
            for token in ["alice-token", "root-token"] {
                let refused = try await http.post("/api/v4/projects/101/jobs/9200/play", token: token, json: Self.signature)
                #expect(refused.status == 403, "no_one_allowed applies to \(token)")
                #expect(refused.message == "403 Forbidden")
            }
            #expect(simulator.job(id: 9200)?.status == "manual")
            let empty = try await http.post("/api/v4/projects/101/jobs/9200/play", token: "alice-token", json: #"{"job_variables_attributes":[]}"#)
            #expect(empty.status == 200, "an empty list is no variables")
            try simulator.setPipelineVariablesMinimumOverrideRole(projectId: 100, role: "maintainer")
            let developer = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", json: Self.signature)
            #expect(developer.status == 403)
            let maintainer = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "alice-token", json: Self.signature)
            #expect(maintainer.status == 200)
        }
    }

    @Test func replayingAFinishedJobRetriesItWithCopiedVariables() async throws {
        try await withSimulator { simulator, http in
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play", token: "alice-token", json: Self.signature).status == 200)
            let first = try await simulator.waitForJob(id: 9001)
            let retried = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token")
            #expect(retried.status == 200)
            #expect(retried.json?["id"]?.intValue == 9001, "the response shows the original job")
            let clone = try #require(simulator.jobs().first { $0.retriedFromId == 9001 })
            #expect(clone.id != 9001)
            let done = try await simulator.waitForJob(id: clone.id)
            #expect(done.variables == first.variables, "old job variables are copied")
            #expect(done.username == "bob", "the retrier becomes the job's user")
            #expect(done.log.contains("as bob"))
            #expect(simulator.job(id: 9001)?.retried == true)
            let listed = try await http.get("/api/v4/projects/100/pipelines/500/jobs", token: "bob-token")
            let ids = listed.json?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
            #expect(ids.contains(clone.id) && !ids.contains(9001))
            let withRetried = try await http.get("/api/v4/projects/100/pipelines/500/jobs?include_retried=true", token: "bob-token")
            #expect(withRetried.json?.arrayValue?.count == ids.count + 1)
            let old = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token")
            #expect(old.status == 400, "a retried job is not playable again")
        }
    }

    /// `PlayBuildService#retry_build`: a play of a finished manual job drops the play's own
    /// variables; the new job carries the old job's, and the answer is the original job.
    @Test func replayDropsThePlaysVariablesAndKeepsTheOldOnes() async throws {
        try await withSimulator { simulator, http in
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play", token: "alice-token", json: Self.signature).status == 200)
            let first = try await simulator.waitForJob(id: 9001)
            let body = #"{"job_variables_attributes":[{"key":"OTHER","value":"1"}]}"#
            let late = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "alice-token", json: body)
            #expect(late.status == 200)
            #expect(late.json?["id"]?.intValue == 9001)
            #expect(late.json?["status"]?.stringValue == "success", "the answer is the original, finished job")
            let clone = try #require(simulator.jobs().first { $0.retriedFromId == 9001 })
            #expect(clone.variables == first.variables)
            #expect(clone.status == "pending" || clone.status == "running" || clone.status == "success", "enqueued at once")
        }
    }

    @Test func malformedVariablesAreRejected() async throws {
        try await withSimulator { simulator, http in
            let missing = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", json: #"{"job_variables_attributes":[{"key":"A"}]}"#)
            #expect(missing.status == 400)
            #expect(missing.json == .object([("error", .string("job_variables_attributes[0][value] is missing"))]))
            let badKey = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", json: #"{"job_variables_attributes":[{"key":"A-B","value":"1"}]}"#)
            #expect(badKey.status == 400)
            let duplicate = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", json: #"{"job_variables_attributes":[{"key":"A","value":"1"},{"key":"A","value":"2"}]}"#)
            #expect(duplicate.status == 400)
            let number = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", json: #"{"job_variables_attributes":[{"key":"A","value":1}]}"#)
            #expect(number.status == 400)
            let notJSON = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", json: "{")
            #expect(notJSON.status == 400)
            #expect(simulator.job(id: 9001)?.status == "manual")
        }
    }

    @Test(arguments: [
        "job_variables_attributes[][key]=CIAUTH_SIG&job_variables_attributes[][value]=a%0Ab",
        "job_variables_attributes[0][key]=CIAUTH_SIG&job_variables_attributes[0][value]=a%0Ab",
    ])
    func formEncodedVariablesAreAccepted(form: String) async throws {
        try await withSimulator { simulator, http in
            let response = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token", form: form)
            #expect(response.status == 200)
            #expect(try await simulator.waitForJob(id: 9001).variables == [SimVariable(key: "CIAUTH_SIG", value: "a\nb")])
        }
    }
}

/// `POST /projects/:id/jobs/:job_id/retry` (gitlab-api.md §1.1, §6.3).
@Suite struct RetryTests {
    @Test func retryCopiesVariablesIntoANewJobThatRuns() async throws {
        try await withSimulator { simulator, http in
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play", token: "alice-token", json: PlayTests.signature).status == 200)
            let played = try await simulator.waitForJob(id: 9001)
            let retried = try await http.post("/api/v4/projects/100/jobs/9001/retry", token: "bob-token")
            #expect(retried.status == 201)
            let newId = try #require(retried.json?["id"]?.intValue)
            #expect(newId != 9001, "the retry endpoint answers with the new job")
            #expect(retried.json?["user"]?["username"]?.stringValue == "bob")
            let done = try await simulator.waitForJob(id: newId)
            #expect(done.variables == played.variables)
            #expect(done.retriedFromId == 9001)
            let again = try await http.post("/api/v4/projects/100/jobs/9001/retry", token: "bob-token")
            #expect(again.status == 403)
            #expect(again.message == "403 Forbidden - Job is not retryable")
        }
    }

    @Test func unfinishedJobsAreNotRetryable() async throws {
        try await withSimulator { _, http in
            let manual = try await http.post("/api/v4/projects/100/jobs/9001/retry", token: "bob-token")
            #expect(manual.status == 403)
            #expect(manual.message == "403 Forbidden - Job is not retryable")
            #expect(try await http.post("/api/v4/projects/100/jobs/9000/retry", token: "carol-token").status == 403)
            let build = try await http.post("/api/v4/projects/100/jobs/9000/retry", token: "bob-token")
            #expect(build.status == 201, "a finished non-manual job is retryable too")
        }
    }
}
