/// The truth about the running job, as GitLab states it (`GET /job` with the job token), never as
/// the job's environment claims it: manual-job variables can override predefined ones.
public struct JobFacts: Hashable, Sendable {
    /// What is known about the job's deployment environment. GitLab's job entity has none, so the
    /// caller says `.unknown` unless it learned the environment from a trusted source.
    public enum Environment: Hashable, Sendable {
        case unknown
        case none
        case named(String)
    }

    /// Canonical server URL (`ApprovalStatement.canonicalServerURL`).
    public var server: String
    public var projectID: Int
    public var projectPath: String
    public var pipelineID: Int
    public var jobID: Int
    public var jobName: String
    public var ref: String
    public var commitSHA: String
    public var environment: Environment
    /// Username of the person who started the pipeline, when the caller knows it; needed only
    /// when the policy forbids self-approval.
    public var pipelineCreator: String?
    /// Username of the person who played (started) this job: GitLab's job `user`. Needed only when
    /// the policy demands that the approver plays the job.
    public var player: String?

    public init(
        server: String, projectID: Int, projectPath: String, pipelineID: Int, jobID: Int, jobName: String,
        ref: String, commitSHA: String, environment: Environment = .unknown, pipelineCreator: String? = nil,
        player: String? = nil
    ) {
        self.server = server
        self.projectID = projectID
        self.projectPath = projectPath
        self.pipelineID = pipelineID
        self.jobID = jobID
        self.jobName = jobName
        self.ref = ref
        self.commitSHA = commitSHA
        self.environment = environment
        self.pipelineCreator = pipelineCreator
        self.player = player
    }
}

/// Expectations written in the pipeline definition (flags with literal values, component inputs,
/// `.ciauth.yml`), where job variables cannot reach them. Each set pin must equal GitLab's truth;
/// a difference means the job token or the environment was swapped.
public struct ApprovalPins: Hashable, Sendable {
    public var server: String?
    public var projectPath: String?
    public var projectID: Int?
    public var jobName: String?
    public var environment: String?

    public init(
        server: String? = nil, projectPath: String? = nil, projectID: Int? = nil, jobName: String? = nil,
        environment: String? = nil
    ) {
        self.server = server
        self.projectPath = projectPath
        self.projectID = projectID
        self.jobName = jobName
        self.environment = environment
    }
}
