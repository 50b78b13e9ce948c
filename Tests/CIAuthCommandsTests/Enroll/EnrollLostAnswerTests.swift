import CIAuthCore
import Foundation
import GitLabSim
import Testing

/// `POST /user/keys` whose answer is lost: the profile is read back by fingerprint, so the local
/// credential and the profile never disagree, and a re-run adds no second key.
@Suite("ciauth enroll: lost answers")
struct EnrollLostAnswerTests {
    static let addKey = SimRoute(method: "POST", path: "/api/v4/user/keys")

    @Test("GitLab stored the key but answered 502: enrolled (exit 0), credential kept, one key; a re-run is idempotent")
    func storedThoughTheAnswerWasLost() async throws {
        try await ApproveWorld.with { world in
            try world.sim.setFault(route: Self.addKey, fault: .statusAfterEffect(502), count: 1)
            let result = try await world.enroll()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("but your profile shows it"), "\(result.stderr)")
            let store = CredentialStore(directory: world.keysDirectory)
            let credential = try #require(try store.list().first)
            let keys = try world.sim.keys(ofUser: "alice")
            #expect(keys.map(\.fingerprintSha256) == [credential.fingerprint])
            #expect(try store.registrations(of: credential).map(\.keyID) == keys.map(\.id))
            let again = try await world.enroll(["--import", credential.file.path])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stderr.contains("nothing was added"))
            #expect(try world.sim.keys(ofUser: "alice").count == 1)
            #expect(try world.enrolledKeys().count == 1)
            let approved = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(approved.status == 0, "the credential works: \(approved.stderr)")
        }
    }

    @Test("the answer was lost and the key is not on the profile: exit 1, credential kept; --import finishes with one key")
    func notStoredAndTheAnswerWasLost() async throws {
        try await ApproveWorld.with { world in
            try world.sim.setFault(route: Self.addKey, fault: .status(502), count: 1)
            let result = try await world.enroll()
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("does not show the key"), "\(result.stderr)")
            #expect(try world.sim.keys(ofUser: "alice").isEmpty)
            let credential = try #require(try CredentialStore(directory: world.keysDirectory).list().first, "kept")
            #expect(result.stderr.contains("ciauth enroll --import \(credential.file.path)"))
            let finished = try await world.enroll(["--import", credential.file.path])
            #expect(finished.status == 0, "\(finished.stderr)")
            #expect(try world.sim.keys(ofUser: "alice").map(\.fingerprintSha256) == [credential.fingerprint])
            #expect(try world.enrolledKeys().count == 1)
        }
    }

    @Test("a definite refusal (400) removes the new credential, as before")
    func definiteRefusalRemovesTheCredential() async throws {
        try await ApproveWorld.with { world in
            try world.sim.setFault(route: Self.addKey, fault: .status(400, body: #"{"message":{"key":["is invalid"]}}"#), count: 1)
            let result = try await world.enroll()
            #expect(result.status != 0)
            #expect(try world.enrolledKeys().isEmpty)
            #expect(try world.sim.keys(ofUser: "alice").isEmpty)
        }
    }
}

/// A proxy whose upstream timed out may send `POST /user/keys` again and relay the second answer:
/// GitLab's 400 "has already been taken" for the key the first request stored.
@Suite("ciauth enroll: a request that reached GitLab twice")
struct EnrollRepeatedRequestTests {
    static let alreadyTaken = SimFault(
        kind: .statusAfterEffect, status: 400,
        body: #"{"message":{"key":["has already been taken"],"fingerprint":["has already been taken"]}}"#)

    @Test("the key was stored by the first request, the second answered 400 taken: enrolled, credential kept")
    func storedByTheFirstOfTwo() async throws {
        try await ApproveWorld.with { world in
            try world.sim.setFault(route: EnrollLostAnswerTests.addKey, fault: Self.alreadyTaken, count: 1)
            let result = try await world.enroll()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("but your profile shows it"), "\(result.stderr)")
            let store = CredentialStore(directory: world.keysDirectory)
            let credential = try #require(try store.list().first, "the credential of the registered key is kept")
            let keys = try world.sim.keys(ofUser: "alice")
            #expect(keys.map(\.fingerprintSha256) == [credential.fingerprint])
            #expect(try store.registrations(of: credential).map(\.keyID) == keys.map(\.id))
        }
    }

    @Test("the same answer for a key that is not on the profile stays a refusal: the new credential is removed")
    func takenElsewhereIsARefusal() async throws {
        try await ApproveWorld.with { world in
            try world.sim.setFault(route: EnrollLostAnswerTests.addKey, fault: .status(400, body: Self.alreadyTaken.body), count: 1)
            let result = try await world.enroll()
            #expect(result.status != 0, "\(result.stderr)")
            #expect(result.stderr.contains("has already been taken"), "\(result.stderr)")
            #expect(try world.enrolledKeys().isEmpty)
            #expect(try world.sim.keys(ofUser: "alice").isEmpty)
        }
    }
}

/// `POST /user/keys` answered 201 with another key (a proxy's stale answer): that key's id is not
/// this enrollment's; the profile is read back by fingerprint instead.
@Suite("ciauth enroll: an answer about another key")
struct EnrollForeignAnswerTests {
    @Test("201 naming another key while nothing was stored: not enrolled (exit 1), credential kept, no foreign key id recorded")
    func answerAboutAnotherKey() async throws {
        try await ApproveWorld.with { world in
            let other = try KeysKeyLines.randomKeyLine()
            let body = #"{"id":4242,"title":"someone else's","key":"\#(other)","created_at":"2026-01-01T00:00:00.000Z","expires_at":null,"usage_type":"signing"}"#
            try world.sim.setFault(route: EnrollLostAnswerTests.addKey, fault: .status(201, body: body), count: 1)
            let result = try await world.enroll(["--json"])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(!result.stdout.contains("4242"), "\(result.stdout)")
            #expect(result.stderr.contains("describes another key"), "\(result.stderr)")
            #expect(try world.sim.keys(ofUser: "alice").isEmpty)
            let credential = try #require(try CredentialStore(directory: world.keysDirectory).list().first, "kept")
            let finished = try await world.enroll(["--import", credential.file.path])
            #expect(finished.status == 0, "\(finished.stderr)")
            #expect(try world.sim.keys(ofUser: "alice").map(\.fingerprintSha256) == [credential.fingerprint])
        }
    }
}
