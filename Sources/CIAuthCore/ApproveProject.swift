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
        let paths = jobs.map { path(webURL: $0.webURL, jobID: $0.id, server: server) }
        guard let firstPath = paths[0], paths.allSatisfy({ $0 == firstPath }) else { return (first.projectID, nil) }
        return (first.projectID, firstPath)
    }

    /// `PATH` of `SERVER/PATH/-/jobs/ID`, when it is a valid statement project path.
    static func path(webURL: String, jobID: Int, server: String) -> String? {
        guard let canonical = try? ApprovalStatement.canonicalServerURL(server) else { return nil }
        // Compared byte for byte: no Unicode equivalence, no case folding.
        let url = Array(webURL.utf8)
        let head = Array((canonical + "/").utf8)
        let tail = Array("/-/jobs/\(jobID)".utf8)
        guard url.count > head.count + tail.count, url.starts(with: head), Array(url.suffix(tail.count)) == tail else { return nil }
        let path = String(decoding: url[head.count..<(url.count - tail.count)], as: UTF8.self)
        guard (try? ApprovalFieldRules.projectPath(path)) != nil, !path.split(separator: "/").contains("-") else { return nil }
        return path
    }
}
