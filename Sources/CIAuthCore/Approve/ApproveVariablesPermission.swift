import GitLab

/// Whether the token's user may play with a variable, from the project as GitLab shows it
/// (`GET /projects/:id`): `restrict_user_defined_variables` false lets whoever may play pass
/// variables; otherwise "Minimum role to use pipeline variables" against the user's role. Both
/// settings are visible to Maintainers and Owners only.
enum ApproveVariablesPermission: Equatable {
    case allowed
    case notAllowed(String)
    case unknown(String)

    init(_ project: GitLabProject) {
        if project.restrictUserDefinedVariables == false {
            self = .allowed
            return
        }
        guard let role = project.pipelineVariablesMinimumRole else {
            self = .unknown("only a Maintainer or Owner can see the project setting that would tell")
            return
        }
        if role == .noOneAllowed {
            self = .notAllowed("the project lets no one use pipeline variables")
            return
        }
        guard let minimum = role.minimumAccessLevel, let level = project.accessLevel else {
            self = .unknown("GitLab did not show the setting's role or yours")
            return
        }
        self = level >= minimum
            ? .allowed : .notAllowed("your role is below the project's minimum role (\(minimum)) to use pipeline variables")
    }

    /// Before the touch: refuses when the settings show the play would be refused. A role below
    /// Developer cannot play any job.
    static func check(_ project: GitLabProject, note: (String) -> Void) throws {
        if let level = project.accessLevel, level < GitLab.AccessLevel.developer {
            throw ApproveError.refused(
                "play-not-allowed",
                "your role in \(project.pathWithNamespace) is \(level), and playing a job needs at least Developer "
                    + "(Maintainer on a protected branch); ask a Maintainer for the role, or another person to approve. Nothing was signed")
        }
        switch ApproveVariablesPermission(project) {
        case .allowed:
            return
        case .notAllowed(let why):
            throw ApproveError.refused(
                "pipeline-variables-not-allowed",
                "GitLab would refuse the play: \(why), and the approval travels as a pipeline variable. A Maintainer or Owner can change "
                    + "\"Minimum role to use pipeline variables\" (Settings > CI/CD > Variables) of \(project.pathWithNamespace). Nothing was signed")
        case .unknown(let why):
            note("Note: whether your role may play with pipeline variables is not checked before the touch: \(why).")
        }
    }
}
