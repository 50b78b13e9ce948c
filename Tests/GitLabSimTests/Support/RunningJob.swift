import Foundation
import GitLabSim
import Testing

/// A job kept running until the test releases it: its script publishes `CI_JOB_TOKEN` in a
/// file of its working directory, then waits for a `release` file.
struct RunningJob {
    let jobId: Int
    let value: String
    let directory: URL

    static func start(
        simulator: GitLabSimulator, http: TestHTTP, jobId: Int = 8000, projectId: Int = 100,
        player: String = "alice-token", playBody: String? = nil, after: String = ""
    ) async throws -> RunningJob {
        let directory = try makeTemporaryDirectory()
        var job = TestSeeds.manualJob(
            jobId,
            script: "printf '%s' \"$CI_JOB_TOKEN\" > token.tmp && mv token.tmp token; "
                + "while [ ! -f release ]; do sleep 0.02; done; \(after)",
            environment: "production"
        )
        job.workingDirectory = directory.path
        let pipeline = SimSeed.Pipeline(
            id: jobId + 100_000, ref: "main", sha: "cafebabecafebabecafebabecafebabecafebabe", user: "alice", jobs: [job]
        )
        try simulator.addPipeline(pipeline, toProject: projectId)
        let played = try await http.post("/api/v4/projects/\(projectId)/jobs/\(jobId)/play", token: player, json: playBody)
        try #require(played.status == 200, "play: \(played.status) \(played.text)")
        let tokenFile = directory.appendingPathComponent("token")
        let appeared = try await eventually { FileManager.default.fileExists(atPath: tokenFile.path) }
        try #require(appeared, "the job never published its token")
        return RunningJob(jobId: jobId, value: try String(contentsOf: tokenFile, encoding: .utf8), directory: directory)
    }

    func release() {
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("release").path, contents: Data())
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}
