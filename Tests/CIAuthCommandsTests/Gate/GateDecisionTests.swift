import CIAuthCore
import Foundation
import GitLabSim
import Testing

extension GateTests {
    /// The gate's decision in-process against the simulator's JWKS over real HTTP, with tokens
    /// minted by gitlab-sim and by PyJWT: each must be accepted or refused for the same reason.
    @Suite("decisions")
    struct GateDecisionTests {
        private func reason(_ report: GateReport) -> String { report.failure?.reason ?? "accepted" }

        @Test("a simulator token with its approval passes once; the replayed pair is refused")
        func passesOnce() async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            let token = try world.simToken(job)
            let approval = try await world.approval(for: job)
            let policy = try world.policy()
            let first = try await world.decide(token: token, approval: approval, policyPath: policy.path)
            #expect(reason(first) == "accepted", "\(first.failure?.description ?? "")")
            #expect(first.pass == 1)
            #expect(first.environment["CIAUTH_JOB_ID"] == String(job.id))
            #expect(first.environment["CIAUTH_APPROVER"] == "alice")
            #expect(first.audit.gate?.claims["job_id"] == String(job.id))
            #expect(!first.audit.jsonLine.contains(token), "the audit record never holds the token")
            let replay = try await world.decide(token: token, approval: approval, policyPath: policy.path)
            #expect(reason(replay) == "already-passed")
            #expect(replay.failure?.failureClass == .alreadyPassed)
            let log = try String(contentsOfFile: policy.directory.appendingPathComponent("audit.jsonl").path, encoding: .utf8)
            #expect(log.split(separator: "\n").count == 2)
        }

        @Test("PyJWT tokens with the simulator's claims get the simulator's decisions", arguments: [
            ("main", "production", GateWorld.audience, "accepted"),
            ("main", "production", "someone.else", "token-audience-mismatch"),
            ("feature", "production", GateWorld.audience, "ref-not-protected"),
            ("main", "staging", GateWorld.audience, "environment-not-allowed"),
        ])
        func sameAsSimulator(ref: String, environment: String, audience: String, expected: String) async throws {
            let world = try GateWorld.current
            var decisions: [String] = []
            for minter in ["gitlab-sim", "PyJWT"] {
                let job = try await world.job(ref: ref, environment: environment, audience: audience)
                var token = try world.simToken(job)
                if minter == "PyJWT" {
                    token = try await world.mint(claims: try world.claims(of: token), kid: try GateWorld.keyID(of: token))
                }
                let approval = try await world.approval(for: job)
                let report = try await world.decide(token: token, approval: approval, policyPath: try world.policy().path)
                decisions.append(reason(report))
            }
            #expect(decisions == [expected, expected])
        }

        @Test("an environment the policy serves but GitLab does not protect is refused unless the policy allows it")
        func unprotectedEnvironment() async throws {
            let world = try GateWorld.current
            let job = try await world.job(environment: "staging")
            let token = try world.simToken(job)
            let approval = try await world.approval(for: job)
            let policy = try world.policy()
            // The default policy serves production only.
            #expect(reason(try await world.decide(token: token, approval: approval, policyPath: policy.path)) == "environment-not-allowed")
            let text = try String(contentsOfFile: policy.path, encoding: .utf8).replacingOccurrences(
                of: "environments: [production]", with: "environments: [production, staging]")
            try text.write(toFile: policy.path, atomically: true, encoding: .utf8)
            #expect(reason(try await world.decide(token: token, approval: approval, policyPath: policy.path)) == "environment-not-protected")
            try (text + "require_protected_environment: false\n").write(toFile: policy.path, atomically: true, encoding: .utf8)
            #expect(reason(try await world.decide(token: token, approval: approval, policyPath: policy.path)) == "accepted")
        }

        /// Changes the simulator token's claims or header and re-signs it with PyJWT (or by hand).
        static let tokenAttacks: [(String, String)] = [
            ("alg-none", "token-algorithm"),
            ("hs256-public-key", "token-algorithm"),
            ("unknown-kid", "token-key-unknown"),
            ("no-kid", "token-key-unknown"),
            ("jku", "token-key-reference"),
            ("x5u", "token-key-reference"),
            ("x5c", "token-key-reference"),
            ("embedded-jwk", "token-key-reference"),
            ("duplicate-header-alg", "token-malformed"),
            ("issuer-look-alike", "token-issuer-mismatch"),
            ("issuer-trailing-slash", "token-issuer-mismatch"),
            ("wrong-aud", "token-audience-mismatch"),
            ("missing-aud", "token-audience-mismatch"),
            ("aud-array-member", "accepted"),
            ("expired", "token-expired"),
            ("not-yet-valid", "token-not-yet-valid"),
            ("lifetime-25h", "token-lifetime-too-long"),
            ("job-id-number", "token-claim-invalid"),
            ("project-id-number", "token-claim-invalid"),
            ("ref-protected-bool", "token-claim-invalid"),
            ("duplicate-job-id", "token-malformed"),
            ("tampered-payload", "token-signature-invalid"),
            ("unprotected-ref", "ref-not-protected"),
            ("unprotected-environment", "environment-not-protected"),
            ("config-from-fork", "pipeline-definition-not-allowed"),
            ("config-from-unprotected-branch", "pipeline-definition-not-allowed"),
            ("config-elsewhere", "pipeline-definition-not-allowed"),
            ("fork-merge-request", "fork-project-refused"),
            ("project-named-but-job-runs-elsewhere", "project-not-allowed"),
            ("other-project", "project-not-allowed"),
            ("other-job", "job-not-approved"),
            ("other-pipeline", "pipeline-mismatch"),
            ("other-commit", "commit-mismatch"),
            ("other-player", "approver-not-player"),
            ("player-id-differs", "approver-not-player"),
        ]

        @Test("attacks on the token are refused with a named reason", arguments: tokenAttacks)
        func tokenAttack(attack: String, expected: String) async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            let simToken = try world.simToken(job)
            var claims = try await world.claims(of: simToken)
            var kid: String? = try GateWorld.keyID(of: simToken)
            var mode = "rs256"
            var header: [String: Any] = [:]
            var raw: String?
            var rawHeader: String?
            let host = String(world.sim.baseURL.dropFirst("http://".count))
            let now = Int(Date().timeIntervalSince1970)
            switch attack {
            case "alg-none": mode = "none"
            case "hs256-public-key": mode = "hs256-public"
            case "unknown-kid": kid = "not-a-key-of-this-server"
            case "no-kid": kid = nil
            case "jku": header["jku"] = world.sim.baseURL + "/oauth/discovery/keys"
            case "x5u": header["x5u"] = world.sim.baseURL + "/certificate.pem"
            case "x5c": header["x5c"] = ["MIIB"]
            case "embedded-jwk": header["jwk"] = ["kty": "RSA", "n": "AQAB", "e": "AQAB"]
            case "duplicate-header-alg":
                // A parser keeping the last member would see RS256; one keeping the first, none.
                mode = "raw"
                rawHeader = "{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"\(kid ?? "")\",\"alg\":\"RS256\"}"
            case "issuer-look-alike": claims["iss"] = world.sim.baseURL.replacingOccurrences(of: "127.0.0.1", with: "127.0.0.2")
            case "issuer-trailing-slash": claims["iss"] = world.sim.baseURL + "/"
            case "wrong-aud": claims["aud"] = "deploy.example.evil"
            case "missing-aud": claims["aud"] = nil
            case "aud-array-member": claims["aud"] = ["vault", GateWorld.audience]
            case "expired":
                claims["iat"] = now - 7200
                claims["nbf"] = now - 7205
                claims["exp"] = now - 3600
            case "not-yet-valid": claims["nbf"] = now + 600
            case "lifetime-25h": claims["exp"] = now + 25 * 3600
            case "job-id-number": claims["job_id"] = job.id
            case "project-id-number": claims["project_id"] = GateWorld.projectID
            case "ref-protected-bool": claims["ref_protected"] = true
            case "duplicate-job-id":
                mode = "raw"
                let body = String(decoding: try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]), as: UTF8.self)
                raw = "{\"job_id\":\"\(job.id + 1)\"," + body.dropFirst()
            case "tampered-payload":
                let token = try await world.mint(claims: claims, kid: kid)
                var other = claims
                other["job_id"] = String(job.id + 1)
                let forged = try await world.mint(claims: other, kid: kid)
                let parts = token.split(separator: ".")
                let report = try await world.decide(
                    token: "\(parts[0]).\(forged.split(separator: ".")[1]).\(parts[2])", approval: try await world.approval(for: job),
                    policyPath: try world.policy().path)
                #expect(reason(report) == expected)
                return
            case "unprotected-ref": claims["ref_protected"] = "false"
            case "unprotected-environment": claims["environment_protected"] = "false"
            case "config-from-fork": claims["ci_config_ref_uri"] = "\(host)/mallory/web//.gitlab-ci.yml@refs/heads/main"
            case "config-from-unprotected-branch": claims["ci_config_ref_uri"] = "\(host)/acme/web//.gitlab-ci.yml@refs/heads/feature"
            case "config-elsewhere": claims["ci_config_ref_uri"] = NSNull()
            case "fork-merge-request":
                claims["project_id"] = "300"
                claims["project_path"] = "mallory/web"
                claims["job_project_id"] = String(GateWorld.projectID)
                claims["job_project_path"] = GateWorld.projectPath
            case "project-named-but-job-runs-elsewhere":
                // The pinned project in project_*, but the job runs in another: never confused.
                claims["job_project_id"] = "200"
                claims["job_project_path"] = "acme/other"
            case "other-project":
                claims["project_id"] = "200"
                claims["project_path"] = "acme/other"
            case "other-job": claims["job_id"] = String(job.id + 1)
            case "other-pipeline": claims["pipeline_id"] = String(job.pipelineID + 1)
            case "other-commit": claims["sha"] = String(repeating: "a", count: 40)
            case "other-player":
                claims["user_login"] = "mallory"
                claims["user_id"] = "5"
            case "player-id-differs": claims["user_id"] = "5"
            default: break
            }
            let token = try await world.mint(claims: claims, kid: kid, mode: mode, header: header, rawPayload: raw, rawHeader: rawHeader)
            let report = try await world.decide(token: token, approval: try await world.approval(for: job), policyPath: try world.policy().path)
            #expect(reason(report) == expected, "\(report.failure?.description ?? "accepted")")
            if expected != "accepted" { #expect(report.pass == nil && report.environment.isEmpty) }
        }

        @Test("a fork merge-request pipeline passes only with allow_fork_pipelines, judged by the running project")
        func forkPipelines() async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            var claims = try await world.claims(of: try world.simToken(job))
            claims["project_id"] = "300"
            claims["project_path"] = "mallory/web"
            claims["job_project_id"] = String(GateWorld.projectID)
            claims["job_project_path"] = GateWorld.projectPath
            let token = try await world.mint(claims: claims, kid: try GateWorld.keyID(of: try world.simToken(job)))
            let approval = try await world.approval(for: job)
            let allowed = try world.policy(extra: "allow_fork_pipelines: true\n").path
            let report = try await world.decide(token: token, approval: approval, policyPath: allowed)
            #expect(reason(report) == "accepted", "\(report.failure?.description ?? "")")
            #expect(report.environment["CIAUTH_PROJECT_ID"] == String(GateWorld.projectID))
            // The approval names the running project; one for the fork is refused even when forks are allowed.
            let forkApproval = try await world.approval(for: job) { fields in
                fields.projectID = 300
                fields.projectPath = "mallory/web"
            }
            let refused = try await world.decide(token: token, approval: forkApproval, policyPath: try world.policy(extra: "allow_fork_pipelines: true\n").path)
            #expect(reason(refused) == "project-mismatch")
        }

        @Test("approvals that are not for the token's job are refused", arguments: [
            ("other-job", "job-not-approved"),
            ("other-pipeline", "pipeline-mismatch"),
            ("other-project", "project-mismatch"),
            ("other-commit", "commit-mismatch"),
            ("other-environment", "environment-mismatch"),
            ("job-name-only", "job-not-approved"),
            ("not-alice", "approver-not-player"),
            ("no-approval", "missing-approval"),
        ])
        func approvalAttack(attack: String, expected: String) async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            let token = try world.simToken(job)
            let approval: String
            switch attack {
            case "no-approval": approval = ""
            case "not-alice": approval = try await world.approval(for: job, signer: world.mallory, approver: "mallory")
            default:
                approval = try await world.approval(for: job) { fields in
                    switch attack {
                    case "other-job": fields.jobs = [ApprovalStatement.Job(id: job.id + 1, name: job.name)]
                    // The token carries no job name: an approval of another job with the same name is no retry guess.
                    case "job-name-only": fields.jobs = [ApprovalStatement.Job(id: job.id - 1, name: job.name)]
                    case "other-pipeline": fields.pipelineID += 1
                    case "other-project":
                        fields.projectID = 200
                        fields.projectPath = "acme/other"
                    case "other-commit": fields.commitSHA = String(repeating: "b", count: 40)
                    case "other-environment": fields.environment = .named("staging")
                    default: break
                    }
                }
            }
            let report = try await world.decide(token: token, approval: approval, policyPath: try world.policy().path)
            #expect(reason(report) == expected, "\(report.failure?.description ?? "accepted")")
        }

        @Test("time rules are judged at --at; an approval older than max_age is refused")
        func judgedAt() async throws {
            let world = try GateWorld.current
            let job = try await world.job()
            let token = try world.simToken(job)
            let approval = try await world.approval(for: job)
            let report = try await world.decide(
                token: token, approval: approval, policyPath: try world.policy().path, at: Date().addingTimeInterval(7 * 3600))
            #expect(reason(report) == "token-expired")
            let old = try await world.approval(for: job, issuedAt: Date().addingTimeInterval(-1800))
            let strict = try await world.decide(token: token, approval: old, policyPath: try world.policy(extra: "max_age: 10m\n").path)
            #expect(reason(strict) == "too-old")
        }

        @Test("the policy file is parsed strictly")
        func strictPolicy() throws {
            for bad in ["audince: x\n", "passes_per_job: many\n", "require_uv: yes\n", "keys_cache: relative.json\n", "max_age: 60\n"] {
                #expect(throws: GateFailure.self) { _ = try GatePolicy(yaml: "server: https://gitlab.example.com\naudience: a\nproject: a/b\nproject_id: 1\nenvironments: [p]\n" + bad) }
            }
            #expect(throws: GateFailure.self) { _ = try GatePolicy(yaml: "server: https://gitlab.example.com\naudience: a\nproject: a/b\nproject_id: 1\n") }
            let policy = try GatePolicy(yaml: "server: https://GitLab.example.com/\naudience: a\nproject: a/b\nproject_id: 1\nenvironments: [p]\n")
            #expect(policy.server == "https://gitlab.example.com" && policy.issuer == policy.server && policy.passesPerJob == 1)
            #expect(policy.approval.approverMustBePlayer && policy.requireProtectedRef && policy.requireProtectedEnvironment)
        }
    }
}
