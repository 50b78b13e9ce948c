/// Steps 1 and 9 of the verification (docs/protocol.md section 5): the job GitLab describes is the
/// one the pipeline definition gates, and the statement approves exactly that job.
enum ApprovalBinding {
    /// Step 1: each pinned expectation equals GitLab's truth.
    static func checkPins(_ pins: ApprovalPins, facts: JobFacts) throws {
        guard let mismatch = firstPinMismatch(pins, facts: facts) else { return }
        throw ApprovalRejection(
            .pinMismatch,
            "GitLab says this job's \(mismatch.what) is \(ApprovalStatement.quoted(mismatch.actual)) but the pipeline definition pins \(ApprovalStatement.quoted(mismatch.pinned)): the job token or identity was swapped")
    }

    /// The first pinned expectation GitLab's truth does not meet, if any.
    static func firstPinMismatch(_ pins: ApprovalPins, facts: JobFacts) -> (what: String, pinned: String, actual: String)? {
        if let server = pins.server, server != facts.server { return ("server", server, facts.server) }
        if let path = pins.projectPath, path != facts.projectPath { return ("project", path, facts.projectPath) }
        if let id = pins.projectID, id != facts.projectID { return ("project id", String(id), String(facts.projectID)) }
        if let name = pins.jobName, name != facts.jobName { return ("job name", name, facts.jobName) }
        if let environment = pins.environment {
            switch facts.environment {
            case .named(let actual) where actual != environment: return ("environment", environment, actual)
            case .none: return ("environment", environment, "(none)")
            default: break
            }
        }
        return nil
    }

    /// Step 9: the statement's fields equal GitLab's truth; returns the approved job.
    static func check(_ statement: ApprovalStatement, against facts: JobFacts, pins: ApprovalPins) throws -> ApprovalStatement.Job {
        guard statement.server == facts.server else {
            throw differs(.serverMismatch, "server", statement.server, facts.server)
        }
        guard statement.projectID == facts.projectID, statement.projectPath == facts.projectPath else {
            throw differs(
                .projectMismatch, "project", "\(statement.projectPath) (\(statement.projectID))",
                "\(facts.projectPath) (\(facts.projectID))")
        }
        guard statement.pipelineID == facts.pipelineID else {
            throw differs(.pipelineMismatch, "pipeline", String(statement.pipelineID), String(facts.pipelineID))
        }
        let job = try approvedJob(statement, facts: facts)
        guard statement.ref == facts.ref else { throw differs(.refMismatch, "ref", statement.ref, facts.ref) }
        guard statement.commitSHA == facts.commitSHA else {
            throw differs(.commitMismatch, "commit", statement.commitSHA, facts.commitSHA)
        }
        try checkEnvironment(job.environment, facts: facts.environment, pinned: pins.environment)
        return job
    }

    /// The listed job with this id and name. A job missing from the list but sharing the name of
    /// a listed one is a retry or re-play: GitLab copied the old job's variables onto a new id.
    private static func approvedJob(_ statement: ApprovalStatement, facts: JobFacts) throws -> ApprovalStatement.Job {
        guard let job = statement.jobs.first(where: { $0.id == facts.jobID }) else {
            if let original = statement.jobs.first(where: { $0.name == facts.jobName }) {
                throw ApprovalRejection(
                    .retriedJob,
                    "the approval is for job \(original.id); this job \(facts.jobID) is a retry or re-run of it: re-approve job \(facts.jobID)")
            }
            let listed = statement.jobs.map { String($0.id) }.joined(separator: ", ")
            throw ApprovalRejection(.jobNotApproved, "job \(facts.jobID) is not among the approved jobs (\(listed))")
        }
        guard job.name == facts.jobName else {
            throw differs(.jobNameMismatch, "name of job \(job.id)", job.name, facts.jobName)
        }
        return job
    }

    private static func checkEnvironment(
        _ approved: ApprovalStatement.Environment, facts: JobFacts.Environment, pinned: String?
    ) throws {
        let expected: ApprovalStatement.Environment
        switch facts {
        case .named(let name): expected = .named(name)
        case .none: expected = .none
        case .unknown:
            guard let pinned else { return }
            expected = .named(pinned)
        }
        guard approved == expected else {
            throw differs(.environmentMismatch, "environment", ApprovalStatement.text(approved), ApprovalStatement.text(expected))
        }
    }

    private static func differs(_ reason: ApprovalRejection.Reason, _ what: String, _ approved: String, _ actual: String) -> ApprovalRejection {
        ApprovalRejection(
            reason,
            "the approval is for \(what) \(ApprovalStatement.quoted(approved)) but this job's is \(ApprovalStatement.quoted(actual))")
    }
}
