import CIAuthCore
import Foundation
import GitLabSim
import Testing

extension GateTests {
    /// Approver groups and self-approval at the gate: GitLab reads with the gate's own read token,
    /// bound to the pipeline and project of the verified ID token; every refusal named, and
    /// nothing passes when GitLab cannot be read.
    @Suite("approver groups and self-approval")
    struct GateApproverRuleTests {
        private func reason(_ report: GateReport) -> String { report.failure?.reason ?? "accepted" }

        private func decide(_ world: GateWorld, _ job: GateWorld.Job, extra: String) async throws -> GateReport {
            try await world.decide(
                token: try world.simToken(job), approval: try await world.approval(for: job), policyPath: try world.policy(extra: extra).path)
        }

        @Test("approver_groups: a member with the access level passes, one without it or unlisted is refused")
        func groups() async throws {
            let world = try GateWorld.current
            let token = try world.readTokenFile("bob-token")
            let maintainers = "read_token_file: \(token)\napprover_groups:\n  - group: acme\n    min_access: maintainer\n"
            let passed = try await decide(world, try await world.job(), extra: maintainers)
            #expect(reason(passed) == "accepted", "\(passed.failure?.description ?? "")")
            #expect(passed.checks.contains { $0.hasPrefix("approver: @alice is") && $0.contains("of acme (at least maintainer required)") }, "\(passed.checks)")
            let owners = "read_token_file: \(token)\napprover_groups:\n  - group: acme\n    min_access: owner\n"
            let refused = try await decide(world, try await world.job(), extra: owners)
            #expect(reason(refused) == "approver-not-member")
            #expect(refused.failure?.failureClass == .policy && refused.pass == nil)
            #expect(!refused.audit.jsonLine.contains("bob-token") && !(refused.failure?.explanation.contains("bob-token") ?? true))
            let listed = try await decide(world, try await world.job(), extra: owners + "approvers: [alice#2]\n")
            #expect(reason(listed) == "accepted", "a listed approver passes without the group")
            let unlisted = try await decide(world, try await world.job(), extra: owners + "approvers: [bob]\n")
            #expect(reason(unlisted) == "approver-not-member")
        }

        @Test("approver_groups with an allowed_signers file: the member must be the account the statement names by id")
        func groupsBindTheApproverID() async throws {
            let world = try GateWorld.current
            let signers = world.directory.appendingPathComponent("signers-\(UUID().uuidString)")
            try Data("alice \(try world.alice.publicKey.authorizedKeysLine())\n".utf8).write(to: signers)
            let policy = "read_token_file: \(try world.readTokenFile("bob-token"))\nallowed_signers: \(signers.path)\n"
                + "approver_groups:\n  - group: acme\n    min_access: maintainer\n"
                + "approver_must_be_player: false\n"  // the player check binds the id too; this is the group rule alone
            let job = try await world.job()
            let same = try await world.decide(
                token: try world.simToken(job), approval: try await world.approval(for: job), policyPath: try world.policy(extra: policy).path)
            #expect(reason(same) == "accepted", "\(same.failure?.description ?? "")")
            // Signed by the alice whose id was 77; the username now belongs to GitLab's user 2, a member.
            let renamed = try await world.job()
            let refused = try await world.decide(
                token: try world.simToken(renamed), approval: try await world.approval(for: renamed) { $0.approverID = 77 },
                policyPath: try world.policy(extra: policy).path)
            #expect(reason(refused) == "approver-not-member", "\(refused.failure?.description ?? "")")
        }

        @Test("allow_self_approval: false refuses the pipeline's creator, read for the token's pipeline and project")
        func selfApproval() async throws {
            let world = try GateWorld.current
            let policy = "read_token_file: \(try world.readTokenFile("bob-token"))\nallow_self_approval: false\n"
            let other = try await decide(world, try await world.job(creator: "bob"), extra: policy)
            #expect(reason(other) == "accepted", "\(other.failure?.description ?? "")")
            #expect(other.audit.job?.pipelineCreator == "bob")
            let own = try await decide(world, try await world.job(creator: "alice"), extra: policy)
            #expect(reason(own) == "self-approval")
            #expect(own.pass == nil && own.environment.isEmpty)
            let allowed = try await decide(world, try await world.job(creator: "alice"), extra: "allow_self_approval: true\n")
            #expect(reason(allowed) == "accepted")
        }

        @Test("the pipeline read must be the token's: another commit than GitLab's pipeline is refused")
        func pipelineMismatch() async throws {
            let world = try GateWorld.current
            let job = try await world.job(creator: "bob")
            var claims = try await world.claims(of: try world.simToken(job))
            let other = String(repeating: "a", count: 40)
            claims["sha"] = other
            let token = try await world.mint(claims: claims, kid: try GateWorld.keyID(of: try world.simToken(job)))
            let approval = try await world.approval(for: job) { $0.commitSHA = other }
            let policy = try world.policy(extra: "read_token_file: \(try world.readTokenFile("bob-token"))\nallow_self_approval: false\n")
            let report = try await world.decide(token: token, approval: approval, policyPath: policy.path)
            #expect(reason(report) == "pipeline-read-mismatch")
            #expect(report.failure?.failureClass == .tampering)
        }

        @Test("without the read token the rules are a configuration error; a token file others can read is refused")
        func configuration() async throws {
            let world = try GateWorld.current
            let base = "server: https://gitlab.example.com\naudience: a\nproject: a/b\nproject_id: 1\nenvironments: [p]\n"
            for rule in ["approver_groups:\n  - group: acme\n", "allow_self_approval: false\n"] {
                #expect {
                    _ = try GatePolicy(yaml: base + rule)
                } throws: { error in
                    (error as? GateFailure)?.reason == "configuration-invalid" && "\(error)".contains("read_token_file")
                }
                #expect(throws: GateFailure.self) { _ = try GatePolicy(yaml: base + rule + "read_token_file: relative/token\n") }
                _ = try GatePolicy(yaml: base + rule + "read_token_file: /etc/ciauth/read-token\n")
            }
            #expect(throws: GateFailure.self) { _ = try GatePolicy(yaml: base + "approver_groups:\n  - group: acme\n    min_access: boss\n") }
            for mode in [0o640, 0o604] {
                let open = try world.readTokenFile("bob-token", mode: mode)
                let report = try await decide(world, try await world.job(), extra: "read_token_file: \(open)\nallow_self_approval: false\n")
                #expect(reason(report) == "configuration-invalid")
                #expect(report.failure?.explanation.contains("chmod 600") == true)
                #expect(!(report.failure?.explanation.contains("bob-token") ?? true) && !report.audit.jsonLine.contains("bob-token"))
            }
            let missing = world.directory.appendingPathComponent("no-token").path
            let report = try await decide(world, try await world.job(), extra: "read_token_file: \(missing)\nallow_self_approval: false\n")
            #expect(reason(report) == "configuration-invalid")
        }

        /// What a cache or proxy answering for the wrong path, or a reader that takes the other of
        /// two members named alike, would hand the gate: neither may pass.
        @Test("another user's membership, or an account named active and blocked at once, does not pass", arguments: ["other-member", "duplicate-state"])
        func hostileAnswers(scenario: String) async throws {
            let world = try GateWorld.current
            defer { world.sim.clearFaults() }
            let owners = "read_token_file: \(try world.readTokenFile("bob-token"))\napprover_groups:\n  - group: acme\n    min_access: owner\n"
            if scenario == "other-member" {
                let owner = #"{"id":99,"username":"olga","name":"O","state":"active","access_level":50,"expires_at":null,"membership_state":"active"}"#
                try world.sim.setFault(
                    route: SimRoute(method: "GET", path: "/api/v4/groups/acme/members/all/*"), fault: .raw(bytes: Array(owner.utf8)))
            } else {
                let alice = #"[{"id":2,"username":"alice","name":"Alice","state":"active","state":"blocked"}]"#
                try world.sim.setFault(route: SimRoute(method: "GET", path: "/api/v4/users"), fault: .raw(bytes: Array(alice.utf8)))
            }
            let report = try await decide(world, try await world.job(), extra: scenario == "other-member" ? owners : "")
            #expect(reason(report) == "gitlab-unreachable", "\(report.failure?.description ?? "accepted")")
            #expect(report.pass == nil && report.environment.isEmpty)
            #expect(report.failure?.explanation.contains(scenario == "other-member" ? "user 99" : "twice") == true, "\(report.failure?.explanation ?? "")")
        }

        @Test("GitLab refusing the token or unreachable fails closed", arguments: ["refused-token", "pipeline-down", "members-down"])
        func failClosed(scenario: String) async throws {
            let world = try GateWorld.current
            let token = try world.readTokenFile(scenario == "refused-token" ? "not-a-token-of-this-server" : "bob-token")
            let groups = scenario == "members-down"
            let rules = groups ? "approver_groups:\n  - group: acme\n    min_access: maintainer\n" : "allow_self_approval: false\n"
            let route = groups ? "/api/v4/groups/*/members/all/*" : "/api/v4/projects/*/pipelines/*"
            if scenario != "refused-token" { try world.sim.setFault(route: SimRoute(method: "GET", path: route), fault: .status(503)) }
            defer { world.sim.clearFaults() }
            let report = try await decide(world, try await world.job(), extra: "read_token_file: \(token)\n" + rules)
            #expect(reason(report) == (scenario == "refused-token" ? "read-token-refused" : "gitlab-unreachable"))
            #expect(report.pass == nil && report.environment.isEmpty)
            #expect(!(report.failure?.explanation.contains("not-a-token") ?? true))
        }
    }
}
