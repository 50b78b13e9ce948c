import Foundation
import GitLabSim
import Testing

/// Shutdown must not wait for clients, jobs or long polls.
@Suite struct ShutdownTests {
    @Test func shutdownEndsJobsWaitsAndOpenConnections() async throws {
        let simulator = try await GitLabSimulator.start(seed: try Fixtures.seed())
        let http = TestHTTP(baseURL: simulator.baseURL)
        let running = try await RunningJob.start(simulator: simulator, http: http)
        defer { running.cleanUp() }
        let poll = Task { try? await http.post("/-/sim/jobs/\(running.jobId)/wait?timeout=60") }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        try await simulator.shutdown()
        // Not waiting for the 60 s long poll; loose for loaded machines.
        #expect(ContinuousClock.now - start < .seconds(20))
        _ = await poll.value
        #expect(simulator.job(id: running.jobId)?.isFinished == true, "the script was killed")
        // AsyncHTTPClient retries refused connections until the deadline: keep it short.
        await #expect(throws: (any Error).self) {
            _ = try await http.send("GET", "/api/v4/users?username=alice", timeout: .seconds(1))
        }
    }
}
