import CIAuthTestSupport
import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import CIAuthCore

/// In-process cost of one gate decision with the key set cached: token parse and RS256
/// signature, claims, the claims against the policy, and the approval through the shared
/// verifier (the pass store, a disk write, is left out). Opt-in (it only measures):
/// `CIAUTH_BENCH=1 swift test -c release --filter GateBenchmark`, or `Bench/gate.sh`.
@Suite("Gate decision benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CIAUTH_BENCH"] == "1"))
struct GateBenchmark {
    @Test("token + claims + policy + approval, key set cached")
    func decide() async throws {
        let scenario = try Scenario(.p256())
        let approval = try await scenario.signed().transportValue
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let primitives = try rsa.publicKey.getKeyPrimitives()
        let jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
            + ApprovalBase64URL.encode(Array(primitives.modulus)) + "\",\"e\":\"" + ApprovalBase64URL.encode(Array(primitives.publicExponent)) + "\"}]}"
        let now = Int(scenario.now.timeIntervalSince1970)
        let claims: [String: Any] = [
            "iss": "https://gitlab.example.com", "aud": "deploy", "iat": now - 10, "nbf": now - 15, "exp": now + 3600,
            "project_id": "4242", "project_path": "acme/platform/web", "pipeline_id": "987654", "pipeline_source": "push",
            "job_id": "1200300", "ref": "main", "ref_type": "branch", "ref_protected": "true",
            "sha": "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c", "environment": "production", "environment_protected": "true",
            "user_id": "42", "user_login": "alice", "runner_id": 1,
            "ci_config_ref_uri": "gitlab.example.com/acme/platform/web//.gitlab-ci.yml@refs/heads/main",
            "ci_config_sha": "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c",
        ]
        let input = ApprovalBase64URL.encode(Array("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}".utf8)) + "."
            + ApprovalBase64URL.encode(Array(try JSONSerialization.data(withJSONObject: claims)))
        let signature = try rsa.signature(for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
        let token = input + "." + ApprovalBase64URL.encode(Array(signature.rawRepresentation))
        let policy = try GatePolicy(yaml: """
            server: https://gitlab.example.com
            audience: deploy
            project: acme/platform/web
            project_id: 4242
            environments: [production]
            """)
        let keys = try GateKeySet(jwks: Array(jwks.utf8))
        let verifier = ApprovalVerifier(
            registry: scenario.registry, policy: policy.approval,
            pins: ApprovalPins(server: policy.server, projectPath: policy.projectPath, projectID: policy.projectID))
        let nowSeconds = Int64(now)
        func decide(_ keys: GateKeySet) -> Bool {
            guard let parsed = try? GateIDToken(compact: token), let key = keys.keys[parsed.keyID], parsed.signatureVerifies(with: key),
                let claims = try? GateTokenCheck(policy: policy, now: nowSeconds).check(GateClaims(parsed.claims)),
                (try? GateClaimRules(policy: policy).check(claims)) != nil
            else { return false }
            let facts = GateState.jobFacts(claims, approval: approval, server: policy.server)
            return verifier.verify(transport: approval, facts: facts, now: scenario.now).accepted != nil
        }
        let cached = measure { decide(keys) }
        let withParse = measure { (try? GateKeySet(jwks: Array(jwks.utf8))).map(decide) ?? false }
        print("ciauth-bench gate decision (key set in memory): min \(cached.minimum) µs, median \(cached.median) µs, p90 \(cached.p90) µs; "
            + "with the cached JWKS parsed each time: median \(withParse.median) µs (\(cached.runs) runs)")
        #expect(cached.median < 300, "the gate's in-process decision must stay under 300 µs")
    }

    struct Timing {
        let minimum: Double
        let median: Double
        let p90: Double
        let runs: Int
    }

    private func measure(_ body: () -> Bool) -> Timing {
        for _ in 0..<200 { precondition(body()) }
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<200 {
            let elapsed = clock.measure { for _ in 0..<20 { precondition(body()) } }
            samples.append((Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / 20)
        }
        samples.sort()
        let round = { (value: Double) in (value * 10).rounded() / 10 }
        return Timing(
            minimum: round(samples[0]), median: round(samples[samples.count / 2]), p90: round(samples[samples.count * 9 / 10]),
            runs: samples.count * 20)
    }
}
