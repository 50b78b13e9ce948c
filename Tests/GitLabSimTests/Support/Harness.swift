import Foundation
import GitLabSim
import Logging
import Testing

/// Starts a simulator for one test and always shuts it down.
func withSimulator<T>(
    _ seed: SimSeed? = nil, _ body: (GitLabSimulator, TestHTTP) async throws -> T
) async throws -> T {
    let simulator = try await GitLabSimulator.start(seed: try seed ?? Fixtures.seed())
    do {
        let result = try await body(simulator, TestHTTP(baseURL: simulator.baseURL))
        try await simulator.shutdown()
        return result
    } catch {
        try? await simulator.shutdown()
        throw error
    }
}

/// Seeds built in Swift for tests that need their own scripts.
enum TestSeeds {
    /// The fixture seed with one extra pipeline (id 700, ref `main`) holding the given manual jobs.
    static func withJobs(_ jobs: [SimSeed.Job], projectId: Int = 100, runner: SimSeed.Runner? = nil) throws -> SimSeed {
        var seed = try Fixtures.seed()
        let pipeline = SimSeed.Pipeline(
            id: 700, ref: "main", sha: "feedfacefeedfacefeedfacefeedfacefeedface", user: "alice",
            commit: SimSeed.Commit(title: "Test pipeline"), jobs: jobs
        )
        guard let index = seed.projects.firstIndex(where: { $0.id == projectId }) else { return seed }
        seed.projects[index].pipelines = (seed.projects[index].pipelines ?? []) + [pipeline]
        if let runner { seed.runner = runner }
        return seed
    }

    static func manualJob(_ id: Int, script: String, environment: String? = nil) -> SimSeed.Job {
        SimSeed.Job(id: id, name: "job-\(id)", stage: "deploy", status: "manual", when: "manual",
                    environment: environment, script: script)
    }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gitlab-sim-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}
