import Foundation

extension SimSeed {
    /// A project's history at scale: `count` older pipelines, each with one never-played manual
    /// deploy job to `environment` whose deployment stays `blocked` forever, as on a long-lived
    /// GitLab project. They are older (and have lower deployment ids) than every seeded pipeline.
    public struct StaleDeployments: Codable, Sendable, Equatable {
        public var count: Int
        public var environment: String

        public init(count: Int, environment: String = "production") {
            self.count = count
            self.environment = environment
        }

        /// `environment` defaults to `production`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            count = try container.decode(Int.self, forKey: .count)
            environment = try container.decodeIfPresent(String.self, forKey: .environment) ?? "production"
        }
    }
}

extension SimWorld {
    /// Ids of stale pipelines and jobs start here, clear of any hand-written seed id.
    static let staleIdBase = 100_000_000

    /// Builds the stale pipelines, jobs and deployments directly (linear time: a seed of 50,000
    /// must start in well under a second), one minute apart, ending a day before `now`.
    mutating func addStaleDeployments(_ stale: SimSeed.StaleDeployments, projectId: Int, now: Date) throws(SimError) {
        guard (0...1_000_000).contains(stale.count), !stale.environment.isEmpty else {
            throw .invalidSeed("project \(projectId): stale_deployments count \(stale.count)")
        }
        let environmentId = allocateId("environment", above: environments.keys)
        environments[environmentId] = EnvironmentRecord(id: environmentId, projectId: projectId, name: stale.environment)
        var deploymentId = allocateId("deployment", above: deployments.keys)
        var iid = (deployments.values.filter { $0.projectId == projectId }.map(\.iid).max() ?? 0)
        let start = now.addingTimeInterval(-86_400 - Double(stale.count) * 60)
        for index in 0..<stale.count {
            let id = Self.staleIdBase + index
            guard pipelines[id] == nil, jobs[id] == nil else { throw .invalidSeed("stale id \(id) already in use") }
            let created = start.addingTimeInterval(Double(index) * 60)
            let sha = String(format: "%040x", index + 1)
            pipelines[id] = PipelineRecord(
                id: id, iid: index + 1, projectId: projectId, ref: "main", sha: sha, source: "push", userId: nil,
                commit: CommitRecord(title: "Old change \(index + 1)", message: "Old change\n", authorName: "Unknown", authorEmail: "unknown@example.invalid"),
                createdAt: created)
            var job = JobRecord(
                id: id, pipelineId: id, projectId: projectId, name: "deploy", stage: "deploy", status: "manual", when: "manual",
                environment: stale.environment, script: "true", userId: nil, allowFailure: false, yamlVariables: [:], jobVariables: [],
                workingDirectory: nil, tagList: [], createdAt: created, queuedAt: nil, startedAt: nil, finishedAt: nil, retried: false,
                retriedFromId: nil, startedManually: false, log: "", exitCode: nil, token: nil, failureReason: nil)
            job.environmentAction = "start"
            insert(job: job)
            iid += 1
            deployments[deploymentId] = DeploymentRecord(
                id: deploymentId, iid: iid, projectId: projectId, environmentId: environmentId, jobId: id, createdAt: created)
            deploymentId += 1
        }
        nextIds["deployment"] = deploymentId
    }
}
