import Foundation
import GitLab
import GitLabSim
import Testing

/// Every endpoint against the simulator over real HTTP on loopback.
@Suite struct EndpointTests {
    @Test func users() async throws {
        try await withSimulator { _, client in
            let me = try await client.currentUser()
            #expect(me.username == "alice" && me.id == 2 && me.isActive)
            let bob = try #require(try await client.user(username: "BOB"))
            #expect(bob.id == 3)
            #expect(try await client.user(username: "nobody") == nil)
            #expect(try await client.user(id: 4).username == "carol")
            let error = await expectGitLabError { _ = try await client.user(id: 999) }
            #expect(error?.code == .notFound)
        }
    }

    @Test func publicKeysAreFetchedAnonymously() async throws {
        // A job token would be refused by the keys endpoint; the client does not send it.
        try await withSimulator(credentials: .jobToken("glcbt-not-a-live-token")) { sim, client in
            let keys = try await client.keys(ofUser: "alice")
            #expect(keys.count == 1)
            let key = try #require(keys.first)
            #expect(key.id == 71 && key.usageType == .signing && key.title == "yubikey")
            #expect(key.publicKeyWithoutComment == TestKeys.sk1.split(separator: " ").prefix(2).joined(separator: " "))
            #expect(!key.key.contains("alice@laptop"))
            #expect(key.expiresAt != nil)
            let bobKeys = try await client.keys(ofUser: "3")
            #expect(bobKeys.map(\.usageType) == [.auth])
            #expect(sim.count("GET", "/users/alice/keys") == 1)
        }
    }

    @Test func ownKeysLifecycle() async throws {
        try await withSimulator { _, client in
            let expiry = Date(timeIntervalSinceNow: 86400 * 365)
            let added = try await client.addOwnKey(NewSSHKey(title: "new key", key: TestKeys.sk2, usageType: .signing, expiresAt: expiry))
            #expect(added.usageType == .signing && added.title == "new key")
            #expect(abs((added.expiresAt ?? .distantPast).timeIntervalSince(expiry)) < 1)
            #expect(Set(try await client.ownKeys().map(\.id)) == [71, added.id])

            let duplicate = await expectGitLabError { _ = try await client.addOwnKey(NewSSHKey(title: "again", key: TestKeys.sk2)) }
            #expect(duplicate?.code == .badRequest)
            #expect(duplicate?.serverMessage?.contains("has already been taken") == true)

            try await client.deleteOwnKey(id: added.id)
            #expect(try await client.ownKeys().map(\.id) == [71])
            let gone = await expectGitLabError { try await client.deleteOwnKey(id: added.id) }
            #expect(gone?.code == .notFound)
        }
    }

    @Test func adminDeletesAnotherUsersKey() async throws {
        try await withSimulator { sim, alice in
            let refused = await expectGitLabError { try await alice.deleteKey(id: 72, ofUserID: 3) }
            #expect(refused?.code == .forbidden)
            try await withClient(sim, credentials: .accessToken("root-token")) { root in
                try await root.deleteKey(id: 72, ofUserID: 3)
            }
            #expect(try await alice.keys(ofUser: "bob").isEmpty)
        }
    }

    @Test func projectByIdAndEncodedPath() async throws {
        try await withSimulator { sim, alice in
            let byID = try await alice.project(.id(100))
            let byPath = try await alice.project(.path("acme/deployer"))
            #expect(byID == byPath)
            #expect(byID.pathWithNamespace == "acme/deployer")
            // alice is a Maintainer (through the group): she sees the CI setting.
            #expect(byID.pipelineVariablesMinimumRole == .developer)
            #expect(try await alice.project(.id(101)).pipelineVariablesMinimumRole == .noOneAllowed)
            #expect(sim.requests.contains { $0.path.contains("acme%2Fdeployer") })
            try await withClient(sim, credentials: .accessToken("bob-token")) { bob in
                // A Developer does not see it: unknown, not "nobody".
                let seenByDeveloper = try await bob.project(.id(100))
                #expect(seenByDeveloper.pipelineVariablesMinimumRole == nil)
            }
            let missing = await expectGitLabError { _ = try await alice.project(.path("acme/nothing")) }
            #expect(missing?.code == .notFound)
            #expect(missing?.hint?.contains("acme/nothing") == true)
        }
    }

    @Test func jobOfAGarbageCollectedCommitDecodes() async throws {
        // After a force-push GitLab may collect the commit: the job answers `"commit": null`.
        try await withSimulator { sim, client in
            var pipeline = SimSeed.Pipeline(
                id: 910, ref: "main", sha: "0123456789abcdef0123456789abcdef01234567", user: "alice",
                jobs: [SimSeed.Job(id: 9910, name: "deploy", script: "true")])
            pipeline.commitMissing = true
            try sim.addPipeline(pipeline, toProject: 100)
            let job = try await client.job(9910, in: .id(100))
            #expect(job.commit == nil)
            #expect(job.pipeline.sha == "0123456789abcdef0123456789abcdef01234567")
            #expect(try await client.jobs(ofPipeline: 910, in: .id(100)).map(\.id) == [9910])
        }
    }

    @Test func jobsAndScopeFilter() async throws {
        try await withSimulator { _, client in
            let job = try await client.job(9001, in: .path("acme/deployer"))
            #expect(job.status == .manual && job.name == "deploy:prod" && job.projectID == 100)
            #expect(job.pipeline.id == 500 && job.pipeline.sha == Seeds.sha && job.commit?.id == Seeds.sha)
            let all = try await client.jobs(ofPipeline: 500, in: .id(100))
            #expect(Set(all.map(\.id)) == [9001, 9002, 9003])
            let manual = try await client.jobs(ofPipeline: 500, in: .id(100), scope: [.manual])
            #expect(Set(manual.map(\.id)) == [9001, 9002])
            let some = try await client.jobs(ofPipeline: 500, in: .id(100), scope: [.success, .failed])
            #expect(some.map(\.id) == [9003])
        }
    }

    @Test func playWithVariablesThenTraceAndDeployment() async throws {
        try await withSimulator { sim, client in
            let outcome = try await client.play(
                job: 9001, in: .id(100), variables: [PlayVariable(key: "CIAUTH_APPROVAL", value: "signed statement")])
            guard case .played(let job) = outcome else {
                Issue.record("expected played, got \(outcome)")
                return
            }
            #expect(job.id == 9001 && outcome.isPlayedByUs)
            let state = try await sim.waitForJob(id: 9001, timeout: .seconds(20))
            #expect(state.username == "alice")
            #expect(state.variables == [SimVariable(key: "CIAUTH_APPROVAL", value: "signed statement")])
            #expect(state.status == "success")

            let trace = try await client.jobTrace(9001, in: .id(100))
            #expect(trace.contains("deployed"))

            let deployments = try await client.deployments(of: .id(100), environment: "production")
            let deployment = try #require(deployments.first)
            #expect(deployment.deployable?.id == 9001 && deployment.environment.name == "production")
            #expect(deployment.sha == Seeds.sha)

            // Playing it again is refused and nothing is retried.
            sim.clearRequests()
            let again = await expectGitLabError { _ = try await client.play(job: 9002, in: .id(100), variables: [PlayVariable(key: "A-B", value: "x")]) }
            #expect(again?.code == .invalidArgument)
            #expect(sim.requests.isEmpty)
        }
    }

    @Test func playVariablesForbiddenByProjectSetting() async throws {
        try await withSimulator(credentials: .accessToken("carol-token")) { sim, carol in
            let error = await expectGitLabError {
                _ = try await carol.play(job: 9101, in: .id(101), variables: [PlayVariable(key: "CIAUTH_APPROVAL", value: "x")])
            }
            #expect(error?.code == .pipelineVariablesNotAllowed)
            #expect(error?.hint?.contains("Minimum role to use pipeline variables") == true)
            #expect(sim.count("POST", "/jobs/9101/play") == 1)
            #expect(sim.job(id: 9101)?.status == "manual")
        }
    }

    @Test func unplayableJobIsABadRequest() async throws {
        try await withSimulator { sim, client in
            let error = await expectGitLabError { _ = try await client.play(job: 9003, in: .id(100)) }
            #expect(error?.code == .badRequest)
            #expect(error?.serverMessage?.contains("Unplayable Job") == true)
            #expect(sim.count("POST", "/jobs/9003/play") == 1)
        }
    }

    @Test func currentJobWithJobToken() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gitlab-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token").path
        let script = "printf %s \\\"$CI_JOB_TOKEN\\\" > \(tokenFile).tmp && mv \(tokenFile).tmp \(tokenFile) && sleep 20"
        try await withSimulator(seed: Seeds.standard(jobScript: script)) { sim, alice in
            _ = try await alice.play(job: 9001, in: .id(100))
            var token: String?
            for _ in 0..<500 where token == nil {
                token = try? String(contentsOfFile: tokenFile, encoding: .utf8)
                if token == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            let jobToken = try #require(token)
            try await withClient(sim, credentials: .jobToken(jobToken)) { job in
                let current = try await job.currentJob()
                #expect(current.id == 9001 && current.status == .running && current.user?.username == "alice")
                #expect(current.pipeline.projectID == 100)
                // Deployments accept a job token for its own project.
                #expect(try await job.deployments(of: .id(100)).contains { $0.deployable?.id == 9001 })
            }
            let refused = await expectGitLabError { _ = try await alice.currentJob() }
            #expect(refused?.code == .invalidArgument)
        }
    }

    @Test func membersArePagedToTheEnd() async throws {
        try await withSimulator(seed: Seeds.standard(extraGroupMembers: 250)) { sim, client in
            let members = try await client.members(of: .group("acme"))
            #expect(members.count == 251)
            #expect(Set(members.map(\.id)).count == 251)
            #expect(members.first { $0.username == "alice" }?.accessLevel == .maintainer)
            #expect(sim.count("GET", "/members/all") == 3)

            // Project members are effective: inherited from the group plus direct ones.
            let projectMembers = try await client.members(of: .project(.path("acme/deployer")))
            #expect(projectMembers.count == 252)
            #expect(projectMembers.first { $0.username == "bob" }?.accessLevel == .developer)

            #expect(try await client.member(of: .project(.id(100)), userID: 2)?.accessLevel == .maintainer)
            #expect(try await client.member(of: .project(.id(101)), userID: 3) == nil)
        }
    }

    @Test func pageCapFailsInsteadOfTruncating() async throws {
        var options = GitLabClientOptions.fastTest
        options.maxPages = 2
        try await withSimulator(seed: Seeds.standard(extraGroupMembers: 250), options: options) { sim, client in
            let error = await expectGitLabError { _ = try await client.members(of: .group("acme")) }
            #expect(error?.code == .paginationLimitExceeded)
            #expect(sim.count("GET", "/members/all") == 2)
        }
        options.maxPages = 3
        try await withSimulator(seed: Seeds.standard(extraGroupMembers: 250), options: options) { _, client in
            let members = try await client.members(of: .group("acme"))
            #expect(members.count == 251)
        }
    }
}
