import Foundation
import GitLabSim
import Testing

@Suite struct SeedTests {
    @Test func fixtureSeedDecodes() throws {
        let seed = try Fixtures.seed()
        #expect(seed.users.map(\.username).contains("alice"))
        #expect(seed.users.first { $0.username == "alice" }?.tokens.last?.scopes == ["read_api"])
        #expect(seed.projects.first?.ciPipelineVariablesMinimumOverrideRole == "developer")
        #expect(seed.runner.timeoutSeconds == 30)
    }

    @Test func seedRoundTripsThroughJSON() throws {
        let seed = try Fixtures.seed()
        #expect(try SimSeed.decode(json: seed.encodedJSON()) == seed)
    }

    @Test func duplicateUserIsRejected() async throws {
        var seed = try Fixtures.seed()
        seed.users.append(SimSeed.User(id: 99, username: "ALICE", name: "Copy"))
        await #expect(throws: SimError.self) { _ = try await GitLabSimulator.start(seed: seed) }
    }

    @Test func projectInUnknownNamespaceIsRejected() async throws {
        var seed = try Fixtures.seed()
        seed.projects.append(SimSeed.Project(id: 900, pathWithNamespace: "nowhere/project"))
        await #expect(throws: SimError.self) { _ = try await GitLabSimulator.start(seed: seed) }
    }

    @Test func malformedSeedKeyIsRejected() async throws {
        var seed = try Fixtures.seed()
        seed.users[0].keys = [SimSeed.SSHKey(title: "bad", key: "ssh-ed25519 AAAA")]
        await #expect(throws: SimError.self) { _ = try await GitLabSimulator.start(seed: seed) }
    }

    @Test func duplicateSeedKeyIsRejected() async throws {
        var seed = try Fixtures.seed()
        let aliceKey = try #require(seed.users.first { $0.username == "alice" }?.keys.first?.key)
        // Same blob, another comment, another user: still the same key instance-wide.
        let copy = aliceKey.split(separator: " ").prefix(2).joined(separator: " ") + " copy"
        seed.users[0].keys = [SimSeed.SSHKey(title: "copy", key: copy)]
        await #expect(throws: SimError.self) { _ = try await GitLabSimulator.start(seed: seed) }
    }

    @Test func nonLoopbackHostIsRefused() async throws {
        await #expect(throws: SimError.self) {
            _ = try await GitLabSimulator.start(seed: SimSeed(), host: "0.0.0.0")
        }
    }

    @Test func invalidJSONSeedThrowsNamedError() {
        #expect(throws: SimError.self) { try SimSeed.decode(json: Data("{\"users\": 3}".utf8)) }
    }
}

@Suite struct SeedStrictnessTests {
    @Test func misspeltKeysAreRejected() throws {
        let text = #"{"projects":[{"id":1,"path_with_namespace":"a/b","ci_pipeline_variables_minimum_override_rol":"developer"}]}"#
        #expect {
            try SimSeed.decode(json: Data(text.utf8))
        } throws: { error in
            (error as? SimError).map { "\($0)".contains("projects[0].ci_pipeline_variables_minimum_override_rol") } ?? false
        }
    }

    @Test func tokenStringsAndNullsAreAccepted() throws {
        let text = #"{"users":[{"id":1,"username":"u","tokens":["t",{"value":"r","scopes":["read_api"]}],"email":null}]}"#
        let seed = try SimSeed.decode(json: Data(text.utf8))
        #expect(seed.users.first?.tokens.map(\.value) == ["t", "r"])
    }
}
