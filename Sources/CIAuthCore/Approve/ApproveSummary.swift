import GitLab

/// What the person sees before the touch (stderr): enough to recognise exactly what runs.
enum ApproveSummary {
    static func text(_ targets: ApproveTargets, statements: [ApprovalStatement], validitySeconds: Int64) -> String {
        guard let first = targets.jobs.first, let statement = statements.first else { return "" }
        let count = targets.jobs.count
        var lines = ["Approve \(count) job\(count == 1 ? "" : "s") of \(targets.project.path) (project \(targets.project.id)) as \(targets.approver.username):"]
        let sha = first.commit?.shortID ?? String(first.pipeline.sha.prefix(8))
        let title = first.commit.map { commit in commit.title.map { " \"\(Self.printable($0))\"" } ?? "" } ?? Self.commitGone
        lines.append("  pipeline  \(first.pipeline.id) on \(first.tag ? "tag" : "ref") \(first.ref), commit \(sha)\(title)")
        if let creator = first.user?.username { lines.append("  started   by \(creator)") }
        for job in targets.jobs {
            let environment = targets.environments[job.id].map { ", environment \($0)" }
                ?? (targets.unprovenEnvironments.contains(job.id) ? ", environment: none? (see below)" : "")
            lines.append("  job       \(job.id) \(job.name) (stage \(job.stage)\(environment))")
        }
        if !targets.unprovenEnvironments.isEmpty {
            lines.append("  GitLab shows no deployment for the job(s) marked \"none?\": they have no environment, or one whose action is")
            lines.append("  not start (stop, prepare, verify, access). Approving signs them as having none (--environment says it).")
        }
        for (job, _) in targets.skipped { lines.append("  skipped   \(job.id) \(job.name) (\(job.status), not manual)") }
        lines.append("  valid     until \(statement.expiresAt) (\(DurationText.describe(validitySeconds)))")
        if let reason = statement.reason { lines.append("  reason    \(reason)") }
        if statements.count > 1 {
            lines.append("  \(statements.count) statements (at most \(ApprovalLimits.jobs) jobs each): \(statements.count) touches")
        }
        return lines.joined(separator: "\n")
    }

    /// GitLab shows `commit: null` for a commit it no longer has (garbage-collected after a
    /// force-push): the job will not be able to check it out.
    static let commitGone = " (no longer in the repository, garbage-collected after a force-push: the job cannot check it out)"

    /// A commit title on one line of at most 80 characters (the terminal layer removes what is
    /// left of control characters from everything it shows).
    static func printable(_ text: String) -> String {
        let kept = text.unicodeScalars.filter {
            !$0.properties.isDefaultIgnorableCodePoint && $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value)
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: kept.prefix(80))
        return result
    }
}
