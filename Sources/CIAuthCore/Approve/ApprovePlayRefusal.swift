import GitLab

/// GitLab answers the same `403 Forbidden` when the user may not run the job at all (protected
/// branch, or a protected environment's allowed deployers) and when their role may not pass
/// variables. The project's setting, which Maintainers and Owners can read, tells them apart.
enum ApprovePlayRefusal: Equatable {
    /// The setting excludes the user's role: every play with variables fails alike.
    case variablesNotAllowed(String)
    /// Variables are allowed for the user's role: this job is closed to them.
    case playNotAllowed
    /// The setting is not visible (or unreadable): either reason may hold.
    case undetermined(String)

    /// Read after the 403, not reused from the check before the touch: the settings may have
    /// changed while the person touched the key, and the answer must say what holds now.
    static func diagnose(_ gitlab: GitLabClient, projectID: Int) async -> ApprovePlayRefusal {
        let project: GitLabProject
        do {
            project = try await gitlab.project(.id(projectID))
        } catch {
            return .undetermined("reading the project's settings failed: \(error)")
        }
        switch ApproveVariablesPermission(project) {
        case .allowed: return .playNotAllowed
        case .notAllowed(let why): return .variablesNotAllowed(why)
        case .unknown(let why): return .undetermined(why)
        }
    }

    var isProjectWide: Bool {
        if case .variablesNotAllowed = self { return true }
        return false
    }

    var summary: String {
        switch self {
        case .variablesNotAllowed(let why): "pipeline variables not allowed (\(why))"
        case .playNotAllowed: "you may not run this job"
        case .undetermined: "not allowed"
        }
    }

    /// The refused result, with the cause named.
    func relabel(_ result: ApproveJobResult) -> ApproveJobResult {
        var result = result
        let gitlabSays = "GitLab refused the play (HTTP 403)"
        switch self {
        case .variablesNotAllowed(let why):
            result.error = "\(gitlabSays): pipeline variables not allowed: \(why). "
                + "A Maintainer or Owner can change \"Minimum role to use pipeline variables\" (Settings > CI/CD > Variables)"
            result.errorCode = GitLabError.Code.pipelineVariablesNotAllowed.rawValue
        case .playNotAllowed:
            result.error = "\(gitlabSays): your role may use pipeline variables here, so it is this job you may not run: "
                + "a protected branch, or a protected environment whose allowed deployers do not include you"
            result.errorCode = "play-not-allowed"
        case .undetermined(let why):
            result.error = "\(gitlabSays): either you may not run this job (protected branch, or a protected environment's allowed deployers) "
                + "or your role may not use pipeline variables (project setting \"Minimum role to use pipeline variables\"); \(why)"
            result.errorCode = "play-forbidden"
        }
        return result
    }
}
