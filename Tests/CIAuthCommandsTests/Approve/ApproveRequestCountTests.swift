import CIAuthCore
import Foundation
import Testing

/// What `ciauth approve` asks GitLab, counted in the simulator's request log: the newest
/// deployments (which hold a recent deploy job whole), the job again right before the play, and
/// the play; `GET /user` only when the enrollment records do not name the approver.
@Suite("ciauth approve: GitLab requests and the approver")
struct ApproveRequestCountTests {
    static let oneJob = [
        "GET /api/v4/projects/acme%2Fweb/deployments", "GET /api/v4/projects/100/jobs/9001", "POST /api/v4/projects/100/jobs/9001/play",
    ] + checkBeforeTouch

    /// The check before the touch, once per run whatever the number of jobs: the token, the
    /// committed policy, the approver's keys, the project's variable settings.
    static let checkBeforeTouch = [
        "GET /api/v4/personal_access_tokens/self", "GET /api/v4/projects/100/repository/files/.ciauth.yml/raw",
        "GET /api/v4/users/2/keys", "GET /api/v4/projects/100",
    ]

    @Test("one deploy job: 3 requests (deployments holding the job, the job again right before the play, play) and the 4 of the check before the touch, approver from the enrollment record; the job's approval verifies")
    func oneJobThreeRequests() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            world.sim.clearRequests()
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes", "--json"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(world.apiRequests.sorted() == Self.oneJob.sorted(), "\(world.apiRequests)")
            #expect(result.stderr.contains("of acme/web (project 100) as alice:"), "\(result.stderr)")
            #expect(!result.stderr.contains("Warning"), "\(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(json["approver"] as? String == "alice")
            #expect((json["jobs"] as? [[String: Any]])?.first?["player"] as? String == "alice")
            let verdict = try await Self.verdictOfDeployJob(in: world)
            #expect(verdict.accepted != nil, "\(String(describing: verdict.rejection))")
        }
    }

    @Test("--sign-only of one deploy job: 1 request, and the committed policy and the approver's keys before the touch")
    func signOnlyTwoRequests() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            world.sim.clearRequests()
            let url = "\(world.sim.baseURL)/acme/web/-/jobs/9001"
            let result = try await world.ciauth(["approve", url, "--yes", "--sign-only", "--format", "plain"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(
                world.apiRequests.sorted() == [
                    "GET /api/v4/projects/acme%2Fweb/deployments", "GET /api/v4/projects/100/repository/files/.ciauth.yml/raw",
                    "GET /api/v4/users/2/keys",
                ].sorted(), "\(world.apiRequests)")
            #expect(result.stdout.contains("project-id: 100\nproject-path: acme/web\n"), "\(result.stdout)")
            #expect(result.stdout.contains("approver: alice\n"), "\(result.stdout)")
        }
    }

    @Test("50 jobs of a pipeline: at most 1.1 requests per job, plus the 4 constant reads of the check before the touch")
    func batchPerJob() async throws {
        try await ApproveWorld.with(manualJobs: 50) { world in
            try #require(try await world.enroll().status == 0)
            world.sim.clearRequests()
            let result = try await world.ciauth(["approve", "\(world.sim.baseURL)/acme/web/-/pipelines/600", "--all-manual", "--yes", "--environment", "none"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            let requests = world.apiRequests
            #expect(Double(requests.count - Self.checkBeforeTouch.count) / 50 <= 1.1, "\(requests.count) requests: \(requests)")
            for read in Self.checkBeforeTouch { #expect(requests.filter { $0 == read }.count == 1, "\(read): \(requests)") }
            #expect(requests.filter { $0.hasSuffix("/play") }.count == 50)
        }
    }

    @Test("no enrollment record (key enrolled by an older version): GET /user, 4 requests, same approval")
    func fallbackWithoutRecord() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            for record in try Self.records(in: world) { try FileManager.default.removeItem(at: record) }
            world.sim.clearRequests()
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(world.apiRequests.sorted() == (Self.oneJob + ["GET /api/v4/user"]).sorted(), "\(world.apiRequests)")
            #expect(result.stderr.contains("as alice:"))
            let verdict = try await Self.verdictOfDeployJob(in: world)
            #expect(verdict.accepted != nil, "\(String(describing: verdict.rejection))")
        }
    }

    @Test("a broken or foreign enrollment record is ignored with a note, and GitLab is asked")
    func brokenRecordIgnored() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let record = try #require(try Self.records(in: world).first)
            let valid = try String(contentsOf: record, encoding: .utf8)
            let broken = [
                "{ not json",
                valid.replacingOccurrences(of: "\"username\" : \"alice\"", with: "\"username\" : \"alice\", \"admin\" : true"),
                valid.replacingOccurrences(of: "\"user_id\" : 2", with: "\"user_id\" : \"2\""),
                valid.replacingOccurrences(of: "\"fingerprint\" : \"SHA256:", with: "\"fingerprint\" : \"SHA256:x"),
            ]
            for (index, text) in broken.enumerated() {
                #expect(text != valid, "mutation \(index) changed nothing")
                try Data(text.utf8).write(to: record)
                world.sim.clearRequests()
                let result = try await world.ciauth(["approve", "600", "--project", "acme/web", "--job", "deploy-\(index + 1)", "--yes", "--environment", "none"] + world.serverArguments)
                #expect(result.status == 0, "\(index): \(result.stderr)")
                #expect(result.stderr.contains("Ignoring the enrollment record"), "\(index): \(result.stderr)")
                #expect(world.apiRequests.contains("GET /api/v4/user"), "\(index): \(world.apiRequests)")
                #expect(result.stderr.contains("as alice:"))
            }
        }
    }

    @Test("a job URL that is not under the configured server's URL: the project is read from GitLab instead")
    func projectFallback() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            // The same simulator under another name: its job URLs say 127.0.0.1, not localhost.
            let alias = world.sim.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            try #require(alias != world.sim.baseURL)
            world.sim.clearRequests()
            let result = try await world.ciauth(
                ["approve", "9001", "--project", "acme/web", "--yes", "--sign-only", "--format", "plain", "--server", alias, "--device", "unix:" + world.socket])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(world.apiRequests.contains("GET /api/v4/projects/100"), "\(world.apiRequests)")
            #expect(result.stdout.contains("project-id: 100\nproject-path: acme/web\n"), "\(result.stdout)")
        }
    }

    @Test("a record naming another server is not used")
    func recordOfAnotherServer() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let record = try #require(try Self.records(in: world).first)
            let moved = try String(contentsOf: record, encoding: .utf8)
                .replacingOccurrences(of: try ApprovalStatement.canonicalServerURL(world.sim.baseURL), with: "https://gitlab.example.com")
            try Data(moved.utf8).write(to: record)
            world.sim.clearRequests()
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes", "--sign-only"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(world.apiRequests.contains("GET /api/v4/user"), "\(world.apiRequests)")
            #expect(!result.stderr.contains("Ignoring"), "a valid record for another server is no error")
        }
    }

    @Test("played with another user's token where the policy lets others play: the approval names the enrolled user, and the warning says verify's default would refuse it")
    func playerDiffersFromApprover() async throws {
        try await ApproveWorld.with(policy: "approver_must_be_player: false\n") { world in
            try #require(try await world.enroll().status == 0)
            world.sim.clearRequests()
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes"] + world.serverArguments, token: "bob-token")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!world.apiRequests.contains("GET /api/v4/user"))
            #expect(result.stderr.contains("as alice:"))
            #expect(result.stderr.contains("Warning: the approval names @alice"), "\(result.stderr)")
            #expect(result.stderr.contains("GitLab says @bob played job(s) 9001"), "\(result.stderr)")
            #expect(result.stderr.contains("approver_must_be_player"), "\(result.stderr)")
            let job = try await world.sim.waitForJob(id: 9001)
            #expect(job.username == "bob")
        }
    }

    @Test("a record with a username GitLab no longer knows (renamed account): warned, and the record is brought up to date")
    func renamedAccount() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let record = try #require(try Self.records(in: world).first)
            let stale = try String(contentsOf: record, encoding: .utf8).replacingOccurrences(of: "\"alice\"", with: "\"alice-old\"")
            try Data(stale.utf8).write(to: record)
            let result = try await world.ciauth(["approve", "9001", "--project", "acme/web", "--yes"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("as alice-old:"))
            #expect(result.stderr.contains("your GitLab username changed from @alice-old (as recorded at enrollment) to @alice"), "\(result.stderr)")
            #expect(result.stderr.contains("The record now says @alice"), "\(result.stderr)")
            let store = CredentialStore(directory: world.keysDirectory)
            let credential = try #require(try store.list().first)
            #expect(try store.registrations(of: credential).map(\.username) == ["alice"])
            let next = try await world.ciauth(["approve", "600", "--project", "acme/web", "--job", "deploy-1", "--yes", "--environment", "none"] + world.serverArguments)
            #expect(next.status == 0, "\(next.stderr)")
            #expect(next.stderr.contains("as alice:"))
            #expect(!next.stderr.contains("Warning"), "\(next.stderr)")
        }
    }

    /// How the job verifies the approval deploy job 9001 ran with.
    static func verdictOfDeployJob(in world: ApproveWorld) async throws -> ApprovalVerdict {
        _ = try await world.sim.waitForJob(id: 9001)
        return try world.verify(try world.recordedApproval(job: 9001), job: 9001, name: "deploy:prod", pipeline: 500, environment: .named("production"))
    }

    static func records(in world: ApproveWorld) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: world.keysDirectory, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix(".gitlab.json") }
    }
}
