import Foundation
import GitLab
import GitLabSim
import Testing

/// Answers GitLab never sends, from a faulty or hostile server or proxy: each is refused as
/// malformed (or shown for what it is), never read as something that decides trust.
@Suite struct HostileAnswerTests {
    let usersRoute = SimRoute(method: "GET", path: "/api/v4/users")
    let keysRoute = SimRoute(method: "GET", path: "/api/v4/users/*/keys")

    static let alice = #"{"id":2,"username":"alice","name":"Alice Example","state":"active"}"#

    static func key(id: Int, usage: String = #""signing""#, key: String = TestKeys.sk1) -> String {
        #"{"id":\#(id),"title":"k","created_at":"2025-02-01T08:00:00.000Z","expires_at":null,"usage_type":\#(usage),"key":"\#(key)"}"#
    }

    private func answer(
        _ sim: GitLabSimulator, _ route: SimRoute, _ body: String, contentType: String = "application/json"
    ) throws {
        try sim.setFault(route: route, fault: .raw(bytes: Array(body.utf8), contentType: contentType))
    }

    // MARK: JSON

    /// Foundation keeps the first of two members with one name, most other readers the last:
    /// an account that is blocked to one reader must not be active to ciauth.
    @Test(arguments: [
        #"[{"id":2,"username":"alice","name":"A","state":"blocked","state":"active"}]"#,
        #"[{"id":2,"username":"alice","name":"A","state":"active","st\u0061te":"blocked"}]"#,
        #"[{"id":2,"id":3,"username":"alice","name":"A","state":"active"}]"#,
    ])
    func duplicateMembersAreRefused(_ body: String) async throws {
        try await withSimulator { sim, client in
            try answer(sim, usersRoute, body)
            let error = await expectGitLabError { _ = try await client.user(username: "alice") }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
            #expect(error?.serverMessage?.contains("twice") == true, "\(String(describing: error))")
        }
    }

    @Test func duplicateMemberInAKeyIsRefused() async throws {
        try await withSimulator { sim, client in
            let body = "[" + Self.key(id: 71).dropLast() + #","usage_type":"auth"}]"#
            try answer(sim, keysRoute, body)
            let error = await expectGitLabError { _ = try await client.keys(ofUser: "2") }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
        }
    }

    /// Ids are positive integers written as such: not strings, fractions, exponents, zero,
    /// negative or beyond 64 bits.
    @Test(arguments: [#""2""#, "2.0", "2e0", "0", "-2", "9223372036854775808", "02"])
    func idsMustBePositiveIntegers(_ id: String) async throws {
        try await withSimulator { sim, client in
            try answer(sim, usersRoute, #"[{"id":\#(id),"username":"alice","name":"A","state":"active"}]"#)
            let error = await expectGitLabError { _ = try await client.user(username: "alice") }
            #expect(error?.code == .malformedResponse, "\(id): \(String(describing: error))")
        }
    }

    @Test(arguments: [
        #"[{"id":2,"username":null,"name":"A","state":"active"}]"#,  // null where a value is required
        #"{"id":2,"username":"alice","name":"A","state":"active"}"#,  // an object where a list is expected
        #"[{"id":2,"username":"alice","name":"A","sta"#,  // cut short
        #"[{"id":2,"username":"alice","name":"A","state":"active"}] []"#,  // more after the value
        "\u{FEFF}[" + alice + "]",  // a byte order mark
    ])
    func malformedBodiesAreRefused(_ body: String) async throws {
        try await withSimulator { sim, client in
            try answer(sim, usersRoute, body)
            let error = await expectGitLabError { _ = try await client.user(username: "alice") }
            #expect(error?.code == .malformedResponse, "\(body): \(String(describing: error))")
        }
    }

    @Test func extraMembersAreIgnored() async throws {
        try await withSimulator { sim, client in
            try answer(sim, usersRoute, #"[{"id":2,"username":"alice","name":"A","state":"active","brand_new":{"x":[1,2.5]}}]"#)
            #expect(try await client.user(username: "alice")?.id == 2)
        }
    }

    /// JSON on the network is UTF-8 (RFC 8259 §8.1): Foundation would also read UTF-16 and
    /// UTF-32, guessing from the first bytes.
    @Test func bodiesThatAreNotUTF8AreRefused() async throws {
        try await withSimulator { sim, client in
            let utf16 = Array(("[" + Self.alice + "]").data(using: .utf16LittleEndian)!)
            try sim.setFault(route: usersRoute, fault: .raw(bytes: utf16), count: 1)
            let error = await expectGitLabError { _ = try await client.user(username: "alice") }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
            var invalid = Array(#"[{"id":2,"username":"alice","name":"A"#.utf8)
            invalid += [0xFF] + Array(#"","state":"active"}]"#.utf8)
            try sim.setFault(route: usersRoute, fault: .raw(bytes: invalid), count: 1)
            let second = await expectGitLabError { _ = try await client.user(username: "alice") }
            #expect(second?.code == .malformedResponse, "\(String(describing: second))")
        }
    }

    /// GitLab's API answers `application/json`; an HTML or text page that happens to hold JSON
    /// (a portal, a proxy's error page) is not GitLab's answer.
    @Test(arguments: ["text/html", "text/plain", "application/octet-stream", ""])
    func contentTypeMustBeJSON(_ contentType: String) async throws {
        try await withSimulator { sim, client in
            try answer(sim, usersRoute, "[" + Self.alice + "]", contentType: contentType)
            let error = await expectGitLabError { _ = try await client.user(username: "alice") }
            #expect(error?.code == .malformedResponse, "\(contentType): \(String(describing: error))")
            #expect(error?.hint?.contains("not JSON") == true, "\(String(describing: error))")
        }
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON"])
    func jsonContentTypesAreAccepted(_ contentType: String) async throws {
        try await withSimulator { sim, client in
            try answer(sim, usersRoute, "[" + Self.alice + "]", contentType: contentType)
            #expect(try await client.user(username: "alice")?.id == 2)
        }
    }

    // MARK: Keys

    /// GitLab's keys have a usage type (15.7+) or none at all (older versions: both uses);
    /// `null` is neither, and must not make a key a signing key.
    @Test func nullUsageTypeIsNotSigning() async throws {
        try await withSimulator { sim, client in
            try answer(sim, keysRoute, "[" + Self.key(id: 71, usage: "null") + "]")
            let keys: [SSHKey]
            do {
                keys = try await client.keys(ofUser: "2")
            } catch let error as GitLabError {
                #expect(error.code == .malformedResponse)
                return
            }
            #expect(keys.allSatisfy { !$0.usageType.allowsSigning }, "\(keys.map(\.usageType))")
        }
    }

    /// A key is unique instance-wide in GitLab: one listed twice (another id, or the same id
    /// with other facts) leaves open which entry is true.
    @Test(arguments: [(71, 72), (71, 71)])
    func keyListedTwiceIsRefused(_ first: Int, _ second: Int) async throws {
        try await withSimulator { sim, client in
            try answer(sim, keysRoute, "[" + Self.key(id: first, usage: #""auth""#) + "," + Self.key(id: second) + "]")
            let error = await expectGitLabError { _ = try await client.keys(ofUser: "2") }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
        }
    }

    // MARK: Identity

    /// A cache or proxy answering for another path: the maintainer's membership must not pass
    /// for the developer that was asked about.
    @Test func membershipOfAnotherUserIsRefused() async throws {
        try await withSimulator { sim, client in
            let maintainer = #"{"id":2,"username":"alice","name":"A","state":"active","access_level":50,"expires_at":null,"membership_state":"active"}"#
            try answer(sim, SimRoute(method: "GET", path: "/api/v4/groups/acme/members/all/3"), maintainer)
            let error = await expectGitLabError { _ = try await client.member(of: .group("acme"), userID: 3) }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
        }
    }

    /// The same member listed blocked and active: `keys prune --not-member-of` would keep the
    /// key of whichever reading came last.
    @Test func memberListedTwiceWithOtherFactsIsRefused() async throws {
        try await withSimulator { sim, client in
            func member(_ state: String) -> String {
                #"{"id":3,"username":"bob","name":"B","state":"\#(state)","access_level":30,"expires_at":null}"#
            }
            let route = SimRoute(method: "GET", path: "/api/v4/groups/acme/members/all")
            try answer(sim, route, "[" + member("blocked") + "," + member("active") + "]")
            let error = await expectGitLabError { _ = try await client.members(of: .group("acme")) }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
            sim.clearFaults()
            // Read twice alike (a row shifted between pages) is still one member.
            try answer(sim, route, "[" + member("active") + "," + member("active") + "]")
            #expect(try await client.members(of: .group("acme")).count == 2)
        }
    }

    @Test func userByIDThatIsAnotherUserIsRefused() async throws {
        try await withSimulator { sim, client in
            try answer(sim, SimRoute(method: "GET", path: "/api/v4/users/3"), Self.alice)
            let error = await expectGitLabError { _ = try await client.user(id: 3) }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
        }
    }

    /// A username GitLab matches case-insensitively is still that user; another name is not.
    @Test func renamedUserIsNotTheUserAsked() async throws {
        try await withSimulator { sim, client in
            try answer(sim, usersRoute, #"[{"id":2,"username":"mallory","name":"A","state":"active"}]"#)
            #expect(try await client.user(username: "alice") == nil)
        }
    }

    private func job(_ id: Int, pipeline: Int = 500, project: Int = 100, path: String = "acme/deployer", server: String) -> String {
        #"{"id":\#(id),"name":"deploy:prod","stage":"deploy","status":"manual","ref":"main","tag":false,"# +
            #""web_url":"\#(server)/\#(path)/-/jobs/\#(id)","user":{"id":2,"username":"alice","name":"A","state":"active"},"# +
            #""pipeline":{"id":\#(pipeline),"project_id":\#(project),"sha":"\#(Seeds.sha)","ref":"main","status":"manual"}}"#
    }

    @Test func jobOfAnotherProjectIsRefused() async throws {
        try await withSimulator { sim, client in
            let route = SimRoute(method: "GET", path: "/api/v4/projects/*/jobs/9001")
            try answer(sim, route, job(9001, project: 200, path: "other/project", server: sim.baseURL))
            let byID = await expectGitLabError { _ = try await client.job(9001, in: .id(100)) }
            #expect(byID?.code == .malformedResponse, "\(String(describing: byID))")
            let byPath = await expectGitLabError { _ = try await client.job(9001, in: .path("acme/deployer")) }
            #expect(byPath?.code == .malformedResponse, "\(String(describing: byPath))")
            // The project's path in another case is the same project.
            sim.clearFaults()
            try answer(sim, route, job(9001, server: sim.baseURL))
            #expect(try await client.job(9001, in: .path("ACME/Deployer")).id == 9001)
        }
    }

    @Test func pipelineListingWithAJobOfAnotherPipelineIsRefused() async throws {
        try await withSimulator { sim, client in
            let route = SimRoute(method: "GET", path: "/api/v4/projects/*/pipelines/500/jobs")
            try answer(sim, route, "[" + job(9001, server: sim.baseURL) + "," + job(9999, pipeline: 501, server: sim.baseURL) + "]")
            let error = await expectGitLabError { _ = try await client.jobs(ofPipeline: 500, in: .id(100)) }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
            sim.clearFaults()
            try answer(sim, route, "[" + job(9001, server: sim.baseURL) + "," + job(9999, project: 200, server: sim.baseURL) + "]")
            let other = await expectGitLabError { _ = try await client.jobs(ofPipeline: 500, in: .id(100)) }
            #expect(other?.code == .malformedResponse, "\(String(describing: other))")
        }
    }

    /// The simulator's own answers pass every one of these checks.
    @Test func realAnswersStillPass() async throws {
        try await withSimulator { _, client in
            let alice = try await client.user(username: "alice")
            #expect(alice?.id == 2)
            #expect(try await client.keys(ofUser: "2").count == 1)
            #expect(try await client.member(of: .group("acme"), userID: 2)?.id == 2)
            #expect(try await client.job(9001, in: .path("acme/deployer")).id == 9001)
            #expect(try await client.jobs(ofPipeline: 500, in: .id(100)).count == 3)
            #expect(try await client.user(id: 3).username == "bob")
        }
    }
}
