import Foundation
import GitLab
import GitLabSim
import Testing

/// `GET /projects/:id/pipelines/:pipeline_id` against the simulator over real HTTP.
@Suite struct PipelineTests {
    @Test func readsAPipelineWithItsCreator() async throws {
        try await withSimulator { sim, alice in
            let pipeline = try await alice.pipeline(500, in: .id(100))
            #expect(pipeline.id == 500 && pipeline.iid == 1 && pipeline.projectID == 100)
            #expect(pipeline.sha == Seeds.sha && pipeline.ref == "main" && pipeline.source == "push")
            #expect(pipeline.status == "manual")
            #expect(pipeline.user?.username == "alice" && pipeline.user?.id == 2)
            #expect(pipeline.webURL?.hasSuffix("/acme/deployer/-/pipelines/500") == true)
            #expect(try await alice.pipeline(500, in: .path("acme/deployer")) == pipeline)
            #expect(sim.count("GET", "/projects/100/pipelines/500") == 1)
            // A read_api token suffices; a developer of the project reads it too.
            let readOnly = try await withClient(sim, credentials: .accessToken("alice-read")) { try await $0.pipeline(500, in: .id(100)) }
            #expect(readOnly.user?.username == "alice")
            let developer = try await withClient(sim, credentials: .accessToken("bob-token")) { try await $0.pipeline(500, in: .id(100)) }
            #expect(developer.user?.username == "alice")
        }
    }

    @Test func invisibleOrMissingPipelinesAreNotFound() async throws {
        try await withSimulator(credentials: .accessToken("carol-token")) { sim, carol in
            // carol is not a member of private project 100.
            #expect(await expectGitLabError { _ = try await carol.pipeline(500, in: .id(100)) }?.code == .notFound)
            // Pipeline 500 belongs to project 100, not 101.
            #expect(await expectGitLabError { _ = try await carol.pipeline(500, in: .id(101)) }?.code == .notFound)
            #expect(await expectGitLabError { _ = try await carol.pipeline(999, in: .id(101)) }?.code == .notFound)
            let own = try await carol.pipeline(600, in: .id(101))
            #expect(own.user?.username == "carol")
            let invalid = await expectGitLabError { _ = try await carol.pipeline(0, in: .id(101)) }
            #expect(invalid?.code == .invalidArgument)
            #expect(sim.count("GET", "/pipelines/0") == 0)
        }
    }

    @Test func pipelineWithoutCreatorHasNoUser() async throws {
        try await withSimulator { sim, alice in
            try sim.addPipeline(SimSeed.Pipeline(id: 777, ref: "main", sha: Seeds.sha), toProject: 100)
            let pipeline = try await alice.pipeline(777, in: .id(100))
            #expect(pipeline.user == nil)
            #expect(pipeline.status == "created")
        }
    }

    @Test func aJobTokenIsNeverSentToThePipelinesEndpoint() async throws {
        try await withSimulator(credentials: .jobToken("glcbt-not-a-live-token")) { sim, job in
            let error = await expectGitLabError { _ = try await job.pipeline(500, in: .id(100)) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.hint?.contains("read_api") == true)
            #expect(sim.requests.isEmpty)
        }
    }

    @Test(arguments: [
        (#""sha": "3F9C1A2B4D5E6F708192A3B4C5D6E7F8091A2B3C""#, "upper-case sha"),
        (#""sha": "3f9c1a2b""#, "short sha"),
        (#""sha": null"#, "null sha"),
    ])
    func strictParsing(_ shaField: String, _ label: String) throws {
        let json = #"{"id": 5, "project_id": 1, \#(shaField), "ref": "main", "status": "success", "source": "push", "user": null}"#
        #expect(throws: DecodingError.self, "\(label)") { try JSONDecoder().decode(GitLabPipeline.self, from: Data(json.utf8)) }
    }

    @Test func strictParsingOfIdsAndRequiredFields() throws {
        let good = #"{"id": 5, "project_id": 1, "sha": "\#(Seeds.sha)", "ref": "main", "status": "success", "source": "push", "user": null}"#
        #expect(try JSONDecoder().decode(GitLabPipeline.self, from: Data(good.utf8)).id == 5)
        for bad in [
            good.replacingOccurrences(of: #""id": 5"#, with: #""id": 0"#),
            good.replacingOccurrences(of: #""project_id": 1"#, with: #""project_id": "1""#),
            good.replacingOccurrences(of: #", "source": "push""#, with: ""),
            good.replacingOccurrences(of: #""user": null"#, with: #""user": {"id": 3}"#),
        ] {
            #expect(throws: DecodingError.self, "\(bad)") { try JSONDecoder().decode(GitLabPipeline.self, from: Data(bad.utf8)) }
        }
    }
}
