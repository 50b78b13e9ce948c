import ArgumentParser
import CIAuthCore
import Foundation
import GitLab

/// `ciauth keys prune`: scripted revocation of stale keys of a group's members.
struct KeysPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Revoke stale security keys of a group's members (administrator token).",
        discussion: """
            A key is revoked when ANY given rule matches; the report names every rule that did. \
            --dry-run prints the plan a real run would execute. A real run shows the plan and asks \
            before revoking unless --yes is given; without a terminal to ask on, --yes is required. A key already gone (404) counts as \
            revoked, so a re-run is safe; rate limits and server errors are retried. A member whose \
            keys cannot be read is reported (keys-unreadable) and none of their keys is revoked; a \
            member listing that cannot be read stops the run before anything is revoked. A key \
            whose deletion got no clear answer is read back: revoked, failed, or unknown. Exit \
            status 19 when any outcome is unknown, else 1 when any revocation failed or any \
            member's keys could not be read.
            """
    )

    @Option(help: ArgumentHelp("The group whose members' keys are examined (full path).", valueName: "group"))
    var group: String

    @Flag(help: "Rule: the key's expiry date has passed.")
    var expired = false

    @Option(help: ArgumentHelp("Rule: the key was added longer ago than this (e.g. 180d).", valueName: "duration"))
    var olderThan: String?

    @Flag(help: "Rule: the key's owner is not active (blocked, banned, deactivated).")
    var ownerBlocked = false

    @Option(help: ArgumentHelp("Rule: the owner is not a member of this group.", valueName: "group"))
    var notMemberOf: String?

    @Option(help: ArgumentHelp("With --not-member-of: members below this role count as non-members (e.g. developer).", valueName: "role"))
    var minAccess: String?

    @Option(help: ArgumentHelp("Rule: no accepted approval with the key in the audit records for this long (needs --audit).", valueName: "duration"))
    var unusedSince: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Audit record files written by `ciauth verify`.", valueName: "file"), completion: .file())
    var audit: [String] = []

    @Option(help: ArgumentHelp("Rule: the key's title matches this shell glob.", valueName: "glob"))
    var titleMatch: String?

    @Flag(help: "Print the plan without revoking anything.")
    var dryRun = false

    @Flag(name: [.short, .long], help: "Revoke without asking (required when stdin is not a terminal).")
    var yes = false

    @Flag(help: "Also examine keys that are not security signing keys.")
    var allTypes = false

    @Option(help: ArgumentHelp("Requests in flight at once.", valueName: "n"))
    var concurrency = 8

    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try rules()
        guard (1...32).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 32") }
    }

    /// The rules in a fixed order, whatever the order of the flags.
    func rules() throws -> [KeysPruneRule] {
        do {
            return try parsedRules()
        } catch let error as KeysError {
            throw ValidationError(error.description)
        }
    }

    private func parsedRules() throws -> [KeysPruneRule] {
        var rules: [KeysPruneRule] = []
        if expired { rules.append(.expired) }
        if let olderThan { rules.append(.olderThan(seconds: try KeysRuleValues.duration(olderThan))) }
        if ownerBlocked { rules.append(.ownerNotActive) }
        if let notMemberOf {
            rules.append(.notMemberOf(group: notMemberOf, minimumAccess: try minAccess.map(KeysRuleValues.accessLevel)))
        } else if minAccess != nil {
            throw ValidationError("--min-access needs --not-member-of GROUP")
        }
        if let unusedSince {
            guard !audit.isEmpty else { throw ValidationError("--unused-since needs --audit FILE… (the records of `ciauth verify`)") }
            rules.append(.unusedSince(seconds: try KeysRuleValues.duration(unusedSince)))
        }
        if let titleMatch { rules.append(.titleMatches(glob: titleMatch)) }
        guard !rules.isEmpty else {
            throw ValidationError("give at least one rule: --expired, --older-than, --owner-blocked, --not-member-of, --unused-since, --title-match")
        }
        return rules
    }

    func run() async throws {
        let context = CommandContext(output: output)
        do {
            guard yes || dryRun || Terminal.stdinIsTTY else {
                throw ValidationError("keys prune revokes keys and stdin is not a terminal to ask on: pass --yes, or --dry-run to see the plan")
            }
            let request = KeysPruneRequest(
                group: group, rules: try rules(), auditFiles: audit, allTypes: allTypes, dryRun: dryRun,
                concurrency: concurrency)
            let report = try await context.withGitLab(server) { client in
                try await KeysPrune(client: client, revoker: KeysRevoker(client: client, concurrency: concurrency))
                    .run(request, confirm: { plan in yes || Self.confirm(plan) })
            }
            show(report)
            // An outcome nobody knows is GitLab's failure to answer, told apart from a refusal.
            if report.hasUnknownOutcomes { throw ExitStatus.outcomeUnknown.exitCode }
            if report.hasFailures { throw ExitStatus.failure.exitCode }
        } catch let error as KeysError where error.code == .declined {
            Terminal.note("Nothing was revoked.")
            throw ExitStatus.failure.exitCode
        } catch {
            let exit = Failure.report(error)
            if (error as? GitLabError)?.request != nil {
                // Revocations and key listings never throw: what failed is a member listing.
                Terminal.note(
                    "nothing was revoked: keys prune stops when a member list cannot be read completely "
                        + "(a partial list could make members look like non-members); re-run when GitLab answers")
            }
            throw exit
        }
    }

    /// Shows the keys that would go on stderr and asks; only "y" or "yes" mean yes.
    private static func confirm(_ plan: KeysPrunePlan) -> Bool {
        let rows = plan.revoke.map { decision in
            [decision.key.owner.username, String(decision.key.id), decision.key.fingerprint,
             KeysOutput.printable(decision.key.title), decision.reasons.joined(separator: "; ")]
        }
        Terminal.note(KeysOutput.table(["OWNER", "ID", "FINGERPRINT", "TITLE", "REASONS"], rows))
        return Terminal.askYesNo(
            "Revoke \(plan.revoke.count) key\(plan.revoke.count == 1 ? "" : "s")? Approvals signed with them will no longer verify. [y/N] ")
    }

    private func show(_ report: KeysPruneReport) {
        if output.json {
            Terminal.output(JSONOutput.document(.keysPrune, report))
            return
        }
        let outcomes = Dictionary(report.results.map { ($0.key.id, $0) }, uniquingKeysWith: { first, _ in first })
        let revocations = report.plan.revoke.map { decision -> [String] in
            let result = outcomes[decision.key.id]
            let action = report.dryRun ? "would-revoke" : result?.outcome.rawValue ?? "not-attempted"
            let reasons = decision.reasons.joined(separator: "; ") + (result?.error.map { " — \($0)" } ?? "")
            return [action, decision.key.owner.username, String(decision.key.id), decision.key.fingerprint,
                    KeysOutput.printable(decision.key.title), reasons]
        }
        let unreadable = report.plan.unreadable.map { entry in
            ["keys-unreadable", entry.owner.username, "-", "-", "-", entry.reason]
        }
        let rows = revocations + unreadable
        if !rows.isEmpty {
            Terminal.output(KeysOutput.table(["ACTION", "OWNER", "ID", "FINGERPRINT", "TITLE", "REASONS"], rows))
        }
        let summary = report.summary
        Terminal.note(
            report.dryRun
                ? "dry run: \(summary.planned) key(s) would be revoked, \(summary.kept) kept"
                : "\(summary.revoked) revoked, \(summary.alreadyRevoked) already revoked, \(summary.failed) failed, \(summary.unknown) unknown, \(summary.kept) kept")
        if summary.unreadable > 0 {
            Terminal.note(
                "\(summary.unreadable) member(s) whose keys could not be read (keys-unreadable): none of their keys was examined; re-run when GitLab answers")
        }
    }
}
