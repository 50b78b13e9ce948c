import GitLab

/// The project the approved jobs belong to, as the statement names it.
public struct ApproveProject: Sendable, Equatable {
    public let id: Int
    /// `group/…/project`, exactly as GitLab spells it.
    public let path: String

    public init(id: Int, path: String) {
        self.id = id
        self.path = path
    }
}

/// Reads the project from the jobs themselves, so approving needs no `GET /projects/:id`: the id
/// is the pipeline's `project_id`, the path sits in the job's `web_url` between the server URL
/// and `/-/jobs/ID` — where `ciauth verify` reads it too.
enum ApproveJobProject {
    /// The jobs' project id, and its path when every job's web URL yields the same one (nil when a
    /// URL has another shape: ask GitLab rather than guess). Jobs of different projects are refused.
    static func derive(from jobs: [GitLabJob], server: String) throws(ApproveError) -> (id: Int, path: String?) {
        guard let first = jobs.first else { throw ApproveError(.noJobs, "no job to approve") }
        guard jobs.allSatisfy({ $0.projectID == first.projectID }) else {
            throw ApproveError(.projectUnknown, "GitLab's answer names jobs of different projects; nothing was approved")
        }
        let paths = jobs.map { JobWebURL.projectPath(of: $0.webURL, jobID: $0.id, server: server) }
        guard let firstPath = paths[0], paths.allSatisfy({ $0 == firstPath }) else { return (first.projectID, nil) }
        return (first.projectID, firstPath)
    }
}
