/// After the plays: GitLab names each job's player (the token's user). An approval whose approver
/// is not the player is refused by `ciauth verify`'s default policy, so say so at once.
struct ApprovePlayerCheck {
    let approver: ApproveApprover
    let credentials: [EnrolledCredential]
    let store: CredentialStore
    let server: String

    /// The warning to show, nil when every played job's player is the approver.
    func warning(for results: [ApproveJobResult]) -> String? {
        let others = results.filter { $0.succeeded && $0.player != nil && $0.player != approver.username }
        guard let first = others.first, let player = first.player else { return nil }
        let jobs = others.map { String($0.jobID) }.joined(separator: ", ")
        if approver.source == .enrollmentRecord, first.playerID == approver.id {
            return renamed(to: player, jobs: jobs)
        }
        let origin = approver.source == .enrollmentRecord ? " (the user your security key was enrolled for)" : ""
        return "Warning: the approval names @\(approver.username)\(origin), but GitLab says @\(player) played job(s) \(jobs). "
            + "`ciauth verify` refuses this unless its policy lets another user play "
            + "(--no-approver-must-be-player, or approver_must_be_player: false in .ciauth.yml). "
            + "Use @\(approver.username)'s token to play, or enroll a key for @\(player)."
    }

    /// Same account, new name: the record is stale. It is fixed for the next approval; this one
    /// names the old username and cannot pass.
    private func renamed(to player: String, jobs: String) -> String {
        let updated = ApproveApprover.renameInRecords(of: credentials, in: store, server: server, userID: approver.id, to: player)
        return "Warning: your GitLab username changed from @\(approver.username) (as recorded at enrollment) to @\(player); "
            + "the approval of job(s) \(jobs) names @\(approver.username), and `ciauth verify` will refuse it. "
            + (updated
                ? "The record now says @\(player): retry the job(s) in GitLab and approve the new job(s)."
                : "Delete the *.gitlab.json records in the key directory, retry the job(s) in GitLab and approve the new job(s).")
    }
}
