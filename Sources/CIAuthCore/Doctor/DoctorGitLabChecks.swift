import Foundation
import GitLab

/// Checks against GitLab: reachability and token, and the pipeline-variables setting.
public enum DoctorGitLabChecks {
    /// `GET /user`: GitLab answers and the token is valid; names its owner. The answer's
    /// `Date` header comes back too, for the clock check.
    public static func token(_ client: GitLabClient) async -> (DoctorCheck, (user: GitLabUser, clock: ServerClockReading)?) {
        do {
            let answer = try await client.currentUserWithServerClock()
            let user = answer.user
            let check = DoctorCheck(
                "gitlab", user.isActive ? .ok : .fail, "\(client.server) reachable; token of \(user.username) (\(user.state))",
                fix: user.isActive ? nil : "the token's user is \(user.state): use an active user's token")
            return (check, answer)
        } catch {
            return (DoctorCheck("gitlab", .fail, error.description, fix: error.hint ?? "check --server and the network"), nil)
        }
    }

    /// Pipeline variables as GitLab decides them: `restrict_user_defined_variables` first (false:
    /// anyone who may run the job may pass variables), then "Minimum role to use pipeline
    /// variables" against the user's role in the project.
    public static func pipelineVariables(_ client: GitLabClient, project: String, user: GitLabUser) async -> DoctorCheck {
        let name = "pipeline-variables"
        do {
            let reference: ProjectReference = Int(project).map { .id($0) } ?? .path(project)
            let details = try await client.project(reference)
            if details.restrictUserDefinedVariables == false {
                return DoctorCheck(name, .ok, "\(project) does not restrict pipeline variables: whoever may run a job may pass the approval")
            }
            let member = try await client.member(of: .project(reference), userID: user.id)
            guard let setting = details.pipelineVariablesMinimumRole else {
                return DoctorCheck(name, .warn, "cannot read the setting of \(project) (it is shown to Maintainers only)",
                                   fix: "ask a Maintainer to check Settings > CI/CD > Variables > Minimum role to use pipeline variables")
            }
            guard let minimum = setting.minimumAccessLevel else {
                return DoctorCheck(name, .fail, "\(project) lets no one use pipeline variables, so approvals cannot be passed to jobs",
                                   fix: "set Settings > CI/CD > Variables > Minimum role to use pipeline variables to the approvers' role")
            }
            guard let level = member?.accessLevel, level >= minimum else {
                let role = member.map { $0.accessLevel.description } ?? "not a member"
                return DoctorCheck(name, .fail, "\(user.username) is \(role) in \(project); pipeline variables need \(minimum.description)",
                                   fix: "lower the project's minimum role to use pipeline variables, or give \(user.username) that role")
            }
            return DoctorCheck(name, .ok, "\(user.username) is \(level.description) in \(project); pipeline variables need \(minimum.description)")
        } catch {
            return DoctorCheck(name, .fail, error.description, fix: error.hint)
        }
    }
}
