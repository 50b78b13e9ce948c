import Foundation
import Testing

@testable import CIAuthCore

/// In-process cost of decoding, parsing and verifying one approval. Opt-in (it only measures):
/// `CIAUTH_BENCH=1 swift test -c release --filter ApprovalBenchmark`, or `Bench/approval.sh`.
@Suite("Approval verification benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CIAUTH_BENCH"] == "1"))
struct ApprovalBenchmark {
    @Test("decode + parse + verify one approval", arguments: ["P-256", "Ed25519"])
    func verify(keyType: String) async throws {
        let scenario = try Scenario(keyType == "P-256" ? .p256() : .ed25519())
        let value = try await scenario.signed().transportValue
        let verifier = ApprovalVerifier(registry: scenario.registry, policy: scenario.policy)
        let full = measure { verifier.verify(transport: value, facts: scenario.facts, now: scenario.now).accepted != nil }
        let bytes = scenario.statement.encoded
        let parse = measure { (try? ApprovalStatement(parsing: bytes)) != nil }
        print("ciauth-bench \(keyType) verify: min \(full.minimum) µs, median \(full.median) µs, p90 \(full.p90) µs; statement parse: min \(parse.minimum) µs, median \(parse.median) µs (\(full.runs) runs, transport \(value.utf8.count) bytes)")
        #expect(full.median > 0)
    }

    struct Timing {
        /// The fastest batch: the best estimate of the cost on an idle machine.
        let minimum: Double
        let median: Double
        let p90: Double
        let runs: Int
    }

    /// Runs `body` after a warm-up; each sample times a batch of 20 runs.
    private func measure(_ body: () -> Bool) -> Timing {
        for _ in 0..<200 { precondition(body()) }
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<200 {
            let elapsed = clock.measure { for _ in 0..<20 { precondition(body()) } }
            let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
            samples.append(micros / 20)
        }
        samples.sort()
        let round = { (value: Double) in (value * 10).rounded() / 10 }
        return Timing(
            minimum: round(samples[0]), median: round(samples[samples.count / 2]),
            p90: round(samples[samples.count * 9 / 10]), runs: samples.count * 20)
    }
}
