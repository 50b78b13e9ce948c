import CIAuthTestSupport
import CIAuthCore
import Foundation
import GitLab
import GitLabSim
import Testing

/// One attack on `ciauth verify`: how to stage it, and the exit status and log text it must cause.
struct VerifyAttack: Sendable, CustomTestStringConvertible {
    let name: String
    let status: Int32
    let expected: [String]
    let stage: @Sendable (VerifyWorld) async throws -> SimJobState

    var testDescription: String { name }

    init(_ name: String, _ status: Int32, _ expected: [String], _ stage: @escaping @Sendable (VerifyWorld) async throws -> SimJobState) {
        self.name = name
        self.status = status
        self.expected = expected
        self.stage = stage
    }
}

/// Exit statuses of docs/verify.md.
enum VerifyExit {
    static let noApproval: Int32 = 10
    static let malformed: Int32 = 11
    static let badSignature: Int32 = 12
    static let unknownKey: Int32 = 13
    static let policy: Int32 = 14
    static let tampering: Int32 = 15
    static let gitlab: Int32 = 16
}

/// A pipeline with one `deploy` job, approved by alice with `edit` applied, played with `variables`.
func approvedAndPlayed(
    _ world: VerifyWorld, flags: [String] = [], token: String = "alice-token", variables: [String: String] = [:],
    key: KeyPath<VerifyWorld, SoftwareAuthenticator> = \.alice, issuedAt: Date = Date(), validity: Int64 = 3600,
    edit: (inout VerifyWorld.StatementFields, VerifyWorld.Pipeline) -> Void = { _, _ in }
) async throws -> SimJobState {
    let pipeline = try await world.pipeline(flags: flags)
    let statement = try world.statement(for: pipeline, issuedAt: issuedAt, validity: validity) { edit(&$0, pipeline) }
    let approval = try await world[keyPath: key].approve(statement)
    return try await world.play(pipeline.job.id, token: token, approval: approval, variables: variables)
}

/// A pipeline with one `deploy` job played with a hand-made approval value.
func playedWith(_ world: VerifyWorld, flags: [String] = [], value: @Sendable (VerifyWorld, VerifyWorld.Pipeline) throws -> String?) async throws -> SimJobState {
    let pipeline = try await world.pipeline(flags: flags)
    return try await world.play(pipeline.job.id, approval: try value(world, pipeline))
}

extension VerifyAttack {
    static let all: [VerifyAttack] = replays + environmentOverrides + signatures + keys + policies + malformed + outages
        + pins + workTrees + accounts

    static let replays: [VerifyAttack] = [
        VerifyAttack("replay: approval of another job of the pipeline", VerifyExit.tampering, ["job-not-approved"]) { world in
            let pipeline = try await world.pipeline(jobs: ["deploy", "smoke"])
            let approval = try await world.alice.approve(try world.statement(for: pipeline, jobs: [pipeline.jobs[1]]))
            return try await world.play(pipeline.job.id, approval: approval)
        },
        VerifyAttack("replay: approval from another pipeline", VerifyExit.tampering, ["pipeline-mismatch"]) { world in
            let old = try await world.pipeline()
            let approval = try await world.alice.approve(try world.statement(for: old))
            let pipeline = try await world.pipeline()
            return try await world.play(pipeline.job.id, approval: approval)
        },
        VerifyAttack("replay: approval for another project", VerifyExit.tampering, ["project-mismatch"]) { world in
            try await approvedAndPlayed(world) { fields, _ in
                fields.projectID = VerifyWorld.otherProjectID
                fields.projectPath = "acme/other"
            }
        },
        VerifyAttack("replay: approval for another server", VerifyExit.tampering, ["server-mismatch"]) { world in
            try await approvedAndPlayed(world) { fields, _ in fields.server = "https://gitlab.example.com" }
        },
        VerifyAttack("replay: approval for another commit", VerifyExit.tampering, ["commit-mismatch"]) { world in
            try await approvedAndPlayed(world) { fields, _ in fields.commitSHA = String(repeating: "a", count: 40) }
        },
        VerifyAttack("replay: approval for another environment", VerifyExit.tampering, ["environment-mismatch"]) { world in
            try await approvedAndPlayed(world) { fields, _ in fields.environment = .named("staging") }
        },
        VerifyAttack("retried job carries the old approval", VerifyExit.tampering, ["retried-job", "this job was retried: GitLab copied the approval of job"]) { world in
            let pipeline = try await world.pipeline()
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let first = try await world.play(pipeline.job.id, approval: approval)
            guard first.status == "success" else { return first }
            _ = try await world.play(pipeline.job.id, approval: nil)
            guard let retry = world.sim.jobs().first(where: { $0.retriedFromId == pipeline.job.id }) else { return first }
            let state = try await world.sim.waitForJob(id: retry.id, timeout: .seconds(60))
            #expect(state.log.contains("approve job \(retry.id)"))
            #expect(state.log.contains("copied the approval of job \(pipeline.job.id)"))
            return state
        },
    ]

    static let environmentOverrides: [VerifyAttack] = [
        override("CI_JOB_ID", "1"),
        override("GITLAB_USER_LOGIN", "root"),
        override("CI_COMMIT_SHA", String(repeating: "b", count: 40)),
        override("CI_PIPELINE_ID", "1"),
        override("CI_JOB_NAME", "build"),
        override("CI_PROJECT_PATH", "acme/other"),
        VerifyAttack("env override: a forged log line in GITLAB_USER_LOGIN", VerifyExit.tampering, ["environment-tampered", "GITLAB_USER_LOGIN"]) { world in
            let job = try await approvedAndPlayed(world, variables: ["GITLAB_USER_LOGIN": "alice\nok  APPROVED by @alice"])
            #expect(!job.log.contains("\nok  APPROVED"), "a variable's newline must not reach the log")
            return job
        },
        VerifyAttack("offline registry: the allowed signers file lists only bob", VerifyExit.unknownKey, ["unknown-key"]) { world in
            let file = world.directory.appendingPathComponent("signers-\(UUID().uuidString)")
            try Data("bob \(try world.alice.publicKey.authorizedKeysLine())\n".utf8).write(to: file)
            return try await approvedAndPlayed(world, flags: ["--allowed-signers", file.path])
        },
        VerifyAttack("env override: CI_SERVER_URL", VerifyExit.tampering, ["server-mismatch", "CI_SERVER_URL"]) { world in
            try await approvedAndPlayed(world, variables: ["CI_SERVER_URL": "https://gitlab.example.com"])
        },
        VerifyAttack("env override: CI_ENVIRONMENT_NAME", VerifyExit.tampering, ["environment-name-mismatch"]) { world in
            try await approvedAndPlayed(world, variables: ["CI_ENVIRONMENT_NAME": "staging"])
        },
        VerifyAttack("env override: CI_PROJECT_DIR", VerifyExit.tampering, ["environment-tampered", "CI_PROJECT_DIR"]) { world in
            try await approvedAndPlayed(world, variables: ["CI_PROJECT_DIR": "/"])
        },
        VerifyAttack("env override: CI_JOB_TOKEN", VerifyExit.gitlab, ["gitlab-unreachable", "refused the job token", "do not set CI_JOB_TOKEN"]) { world in
            try await approvedAndPlayed(world, variables: ["CI_JOB_TOKEN": "glcbt-forged"])
        },
        VerifyAttack("pin: the job (variables and GitLab agree) is not the pinned job name: a configuration error", configuration, ["pin-outdated", "update the pin"]) { world in
            try await approvedAndPlayed(world, flags: ["--job-name", "other"])
        },
        VerifyAttack("checkout: none (GIT_STRATEGY=none) while the definition expects one", VerifyExit.tampering, ["checkout-missing"]) { world in
            let pipeline = try await world.pipeline(declareNoCheckout: false)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            return try await world.play(pipeline.job.id, approval: approval, variables: ["GIT_STRATEGY": "none"])
        },
        VerifyAttack("checkout: HEAD differs from GitLab's commit", VerifyExit.tampering, ["checkout-mismatch"]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory)
            let pipeline = try await world.pipeline(workingDirectory: repo.url.path)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            return try await world.play(pipeline.job.id, approval: approval)
        },
    ]

    static func override(_ name: String, _ value: String) -> VerifyAttack {
        VerifyAttack("env override: \(name)", VerifyExit.tampering, ["environment-tampered", name]) { world in
            try await approvedAndPlayed(world, variables: [name: value])
        }
    }

    static let signatures: [VerifyAttack] = [
        VerifyAttack("signature: wrong namespace (git)", VerifyExit.badSignature, ["wrong-namespace"]) { world in
            try await playedWith(world) { world, pipeline in try world.alice.rawApproval(try world.statement(for: pipeline), namespace: "git") }
        },
        VerifyAttack("signature: no touch (UP flag missing)", VerifyExit.policy, ["user-presence-missing"]) { world in
            try await playedWith(world) { world, pipeline in try world.alice.with(flags: 0).rawApproval(try world.statement(for: pipeline)) }
        },
        VerifyAttack("signature: UV required but missing", VerifyExit.policy, ["user-verification-missing"]) { world in
            try await approvedAndPlayed(world, flags: ["--require-uv"])
        },
        VerifyAttack("signature: statement altered after signing", VerifyExit.badSignature, ["signature-invalid"]) { world in
            try await playedWith(world) { world, pipeline in
                let signed = try ApprovalTransport(decoding: try world.alice.rawApproval(try world.statement(for: pipeline)))
                let other = try world.statement(for: pipeline)  // fresh nonce: different bytes, same job
                return ApprovalTransport(statementBytes: other.encoded, signatureBlob: signed.signatureBlob).encoded
            }
        },
    ]

    static let keys: [VerifyAttack] = [
        VerifyAttack("key: not registered to the approver", VerifyExit.unknownKey, ["unknown-key", "unknown credential: key SHA256:", "is not registered to @alice on http://127.0.0.1:", "re-enroll with `ciauth enroll`"]) { world in
            try await playedWith(world) { world, pipeline in try SoftwareAuthenticator.p256().rawApproval(try world.statement(for: pipeline)) }
        },
        VerifyAttack("key: mallory's key claiming to be alice", VerifyExit.unknownKey, ["unknown-key", "not a registered key of alice"]) { world in
            try await approvedAndPlayed(world, key: \.mallory)
        },
        VerifyAttack("key: expired on the profile", VerifyExit.unknownKey, ["key-expired"]) { world in
            let key = SoftwareAuthenticator.p256()
            _ = try world.register(key, to: "alice", expiresAt: "2025-06-01")
            return try await playedWith(world) { world, pipeline in try key.rawApproval(try world.statement(for: pipeline)) }
        },
        VerifyAttack("key: revoked between approve and verify", VerifyExit.unknownKey, ["unknown-key"]) { world in
            let key = SoftwareAuthenticator.ed25519()
            let id = try world.register(key, to: "alice")
            let pipeline = try await world.pipeline()
            let approval = try await key.approve(try world.statement(for: pipeline))
            try await VerifyAttack.deleteOwnKey(id, world: world)
            return try await world.play(pipeline.job.id, approval: approval)
        },
        VerifyAttack("key: usage auth only", VerifyExit.unknownKey, ["key-not-for-signing"]) { world in
            let key = SoftwareAuthenticator.p256()
            _ = try world.register(key, to: "alice", usage: "auth")
            return try await playedWith(world) { world, pipeline in try key.rawApproval(try world.statement(for: pipeline)) }
        },
        VerifyAttack("key: younger than --min-key-age", VerifyExit.policy, ["key-too-new"]) { world in
            let key = SoftwareAuthenticator.p256()
            _ = try world.register(key, to: "alice", createdAt: SimSeedClock.now())
            return try await playedWith(world, flags: ["--min-key-age", "1d"]) { world, pipeline in
                try key.rawApproval(try world.statement(for: pipeline))
            }
        },
    ]

    static let policies: [VerifyAttack] = [
        VerifyAttack("time: expired approval", VerifyExit.policy, ["expired"]) { world in
            try await approvedAndPlayed(world, issuedAt: Date().addingTimeInterval(-7200))
        },
        VerifyAttack("time: issued in the future", VerifyExit.policy, ["issued-in-future"]) { world in
            try await approvedAndPlayed(world, issuedAt: Date().addingTimeInterval(3600))
        },
        VerifyAttack("time: older than --max-age", VerifyExit.policy, ["too-old"]) { world in
            try await approvedAndPlayed(world, flags: ["--max-age", "60s"], issuedAt: Date().addingTimeInterval(-600))
        },
        VerifyAttack("policy: approver not in --approver list", VerifyExit.policy, ["approver-not-allowed"]) { world in
            try await approvedAndPlayed(world, flags: ["--approver", "bob"])
        },
        VerifyAttack("policy: approver not a member of the approver group", VerifyExit.policy, ["approver-not-member"]) { world in
            try await approvedAndPlayed(
                world, flags: ["--approver-group", "release:maintainer", "--members-token-variable", "READ_TOKEN"], token: "mallory-token",
                variables: ["READ_TOKEN": "reader-token"], key: \.mallory) { fields, _ in fields.approver = "mallory" }
        },
        VerifyAttack("policy: group rule without a read token fails closed (old flag name)", VerifyExit.policy, ["members-token-missing", "READ_TOKEN", "--read-token-variable"]) { world in
            try await approvedAndPlayed(world, flags: ["--approver-group", "release", "--members-token-variable", "READ_TOKEN"])
        },
        // The read token's first use is the approver's lookup: a refused token stops there.
        VerifyAttack("policy: group rule with a read token GitLab refuses fails closed", VerifyExit.policy, ["approver-unreadable", "refused the token in READ_TOKEN"]) { world in
            try await approvedAndPlayed(
                world, flags: ["--approver-group", "release", "--read-token-variable", "READ_TOKEN"], variables: ["READ_TOKEN": "no-such-token"])
        },
        VerifyAttack("policy: sign-only approval played by a bot when the approver must play", VerifyExit.policy, ["approver-not-player"]) { world in
            try await approvedAndPlayed(world, token: "bot-token")
        },
        VerifyAttack("policy: self-approval forbidden and no read token configured", VerifyExit.policy,
                     ["self-approval-undecidable", "no --read-token-variable is configured", "read_token_variable:"]) { world in
            // The former value spelling, still accepted (LegacyBoolSpelling).
            try await approvedAndPlayed(world, flags: ["--allow-self-approval=false"])
        },
        VerifyAttack("policy: .ciauth.yml allows only bob", VerifyExit.policy, ["approver-not-allowed"]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory, policy: "approvers: [bob]\n")
            let pipeline = try await world.pipeline(sha: repo.head, workingDirectory: repo.url.path)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            return try await world.play(pipeline.job.id, approval: approval)
        },
    ]

    static let malformed: [VerifyAttack] = [
        VerifyAttack("missing approval", VerifyExit.noApproval, ["missing-approval"]) { world in
            try await playedWith(world) { _, _ in nil }
        },
        VerifyAttack("transport: garbage", VerifyExit.malformed, ["transport-bad-prefix"]) { world in
            try await playedWith(world) { _, _ in "please-deploy" }
        },
        VerifyAttack("transport: oversize", VerifyExit.malformed, ["transport-oversize"]) { world in
            try await playedWith(world) { _, _ in "ciauth1:" + String(repeating: "A", count: 40_000) }
        },
        VerifyAttack("transport: bad base64", VerifyExit.malformed, ["transport-bad-base64"]) { world in
            try await playedWith(world) { _, _ in "ciauth1:AAA=.AAAA" }
        },
        VerifyAttack("statement: garbage bytes", VerifyExit.malformed, ["statement-"]) { world in
            try await playedWith(world) { world, pipeline in
                let signed = try ApprovalTransport(decoding: try world.alice.rawApproval(try world.statement(for: pipeline)))
                return ApprovalTransport(statementBytes: Array("hello world\n".utf8), signatureBlob: signed.signatureBlob).encoded
            }
        },
        VerifyAttack("signature: garbage blob", VerifyExit.malformed, ["signature-malformed"]) { world in
            try await playedWith(world) { world, pipeline in
                ApprovalTransport(statementBytes: try world.statement(for: pipeline).encoded, signatureBlob: Array("SSHSIG junk".utf8)).encoded
            }
        },
    ]

    static let outages: [VerifyAttack] = [
        VerifyAttack("key lookup: an all-digit approver name is never read as a user id", VerifyExit.unknownKey, ["approver-not-found", "@6"]) { world in
            // GitLab reads /users/6/keys as the keys of user id 6, which is dave: his key must not count for "6".
            // The former value spelling, still accepted (LegacyBoolSpelling).
            try await approvedAndPlayed(world, flags: ["--approver-must-be-player", "false"], token: "dave-token", key: \.dave) {
                fields, _ in fields.approver = "6"
            }
        },
        VerifyAttack("GitLab unreachable: the keys request fails", VerifyExit.gitlab, ["gitlab-unreachable", "@dave"]) { world in
            // ciauth lists keys by user id (6 is dave's in the seed), after resolving the username.
            try world.sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/users/6/keys"), fault: .status(500))
            return try await approvedAndPlayed(world, token: "dave-token", key: \.dave) { fields, _ in fields.approver = "dave" }
        },
    ]

    /// Alice deletes her own key through the REST API, as she would in GitLab's UI.
    static func deleteOwnKey(_ id: Int, world: VerifyWorld) async throws {
        let client = try GitLabClient(server: GitLabServer(world.sim.baseURL), credentials: .accessToken("alice-token"))
        do {
            try await client.deleteOwnKey(id: id)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

enum SimSeedClock {
    static func now() -> String { Date.ISO8601FormatStyle().format(Date()) }
}

extension VerifyEndToEndTests {
    @Suite("ciauth verify: attacks and tampering fail with a named reason")
    struct VerifyAttackTests {
        @Test(arguments: VerifyAttack.all)
        func attack(_ attack: VerifyAttack) async throws {
            let world = try VerifyWorld.current
            let job = try await attack.stage(world)
            #expect(job.status == "failed", "\(attack.name): \(job.log)")
            #expect(job.exitCode.map { Int32($0) } == attack.status, "\(attack.name): \(job.log)")
            for text in attack.expected {
                #expect(job.log.contains(text), "\(attack.name): expected \(text) in \(job.log)")
            }
            #expect(job.log.contains("what to do: "), "\(attack.name): \(job.log)")
            #expect(!job.log.contains("glcbt-"), "the job token must never be printed")
        }

        /// Answers no GitLab sends, each of which passed before: alice's account listed `active`
        /// and `blocked` at once (Foundation read the first), and her key listed twice, expired and
        /// current. Verify fails closed (exit 16) instead of reading either one way.
        @Test("answers GitLab never sends fail closed")
        func hostileAnswers() async throws {
            let world = try await VerifyWorld.start()
            let line = try world.alice.publicKeyLine
            func key(_ id: Int, expires: String) -> String {
                #"{"id":\#(id),"title":"k","created_at":"2020-01-01T00:00:00.000Z","expires_at":\#(expires),"usage_type":"signing","key":"\#(line)"}"#
            }
            let answers: [(path: String, body: String, expected: String)] = [
                ("/api/v4/users", #"[{"id":2,"username":"alice","name":"Alice Example","state":"active","state":"blocked"}]"#, "twice"),
                ("/api/v4/users/2/keys", "[" + key(71, expires: #""2021-01-01T00:00:00.000Z""#) + "," + key(79, expires: "null") + "]", "twice"),
            ]
            for answer in answers {
                world.sim.clearFaults()
                try world.sim.setFault(route: SimRoute(method: "GET", path: answer.path), fault: .raw(bytes: Array(answer.body.utf8)))
                let pipeline = try await world.pipeline()
                let approval = try await world.alice.approve(try world.statement(for: pipeline))
                let job = try await world.play(pipeline.job.id, approval: approval)
                #expect(job.status == "failed" && job.exitCode == 16, "\(answer.path): \(job.log)")
                #expect(job.log.contains("gitlab-unreachable") && job.log.contains(answer.expected), "\(answer.path): \(job.log)")
            }
            world.sim.clearFaults()
            try await world.close()
        }

        @Test("GitLab unreachable for GET /job: exit 16, and the audit record says so")
        func jobEndpointDown() async throws {
            let world = try await VerifyWorld.start()
            try world.sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/job"), fault: .status(500))
            let pipeline = try await world.pipeline()
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "failed")
            #expect(job.exitCode == 16, "\(job.log)")
            #expect(job.log.contains("gitlab-unreachable"))
            let record = try ApprovalAuditRecord(jsonLine: try String(contentsOf: world.auditFile(job: pipeline.job.id), encoding: .utf8)
                .trimmingCharacters(in: .newlines))
            #expect(record.result == "rejected")
            #expect(record.reason == "gitlab-unreachable")
            #expect(record.approval == approval)
            try await world.close()
        }
    }
}
