import ArgumentParser
import CIAuthCore
import Foundation

/// `ciauth keys revoke`: deletes keys from a GitLab profile after showing what goes.
struct KeysRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Delete keys from a GitLab profile, by key id or SHA256 fingerprint.",
        discussion: "Your own keys need a token with the api scope; another user's keys (--user) need an administrator token."
    )

    @Argument(help: ArgumentHelp("GitLab key ids or SHA256: fingerprints.", valueName: "key"))
    var keys: [String]

    @Option(help: ArgumentHelp("The keys belong to this user (administrator token).", valueName: "name"))
    var user: String?

    @Flag(name: [.short, .long], help: "Do not ask for confirmation (required when stdin is not a terminal).")
    var yes = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !keys.isEmpty else { throw ValidationError("name at least one key id or fingerprint") }
        for key in keys {
            do {
                try KeysRevokeRequest.validate(selector: key)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    func run() async throws {
        let context = CommandContext(output: output)
        do {
            guard yes || Terminal.stdinIsTTY else {
                throw ValidationError("refusing to revoke keys without confirmation: stdin is not a terminal; pass --yes")
            }
            let request = KeysRevokeRequest(selectors: keys, user: user)
            let results = try await context.withGitLab(server) { client in
                let revoke = KeysRevoke(client: client)
                let chosen = try await revoke.resolve(request)
                guard yes || confirm(chosen) else { throw KeysError(.declined, "nothing was revoked") }
                return await revoke.revoke(chosen, request: request)
            }
            report(results)
            // An outcome nobody knows is GitLab's failure to answer, told apart from a refusal.
            if results.contains(where: { $0.outcome == .unknown }) { throw ExitStatus.outcomeUnknown.exitCode }
            if results.contains(where: { $0.outcome == .failed }) { throw ExitStatus.failure.exitCode }
        } catch let error as KeysError where error.code == .declined {
            Terminal.note("Nothing was revoked.")
            throw ExitStatus.failure.exitCode
        } catch {
            throw Failure.report(error)
        }
    }

    private func confirm(_ chosen: [ProfileKey]) -> Bool {
        let now = Date()
        Terminal.note(KeysOutput.table(KeysOutput.keyHeader, chosen.map { KeysOutput.keyRow($0, now: now) }))
        return Terminal.askYesNo(
            "Revoke \(chosen.count) key\(chosen.count == 1 ? "" : "s")? Approvals signed with them will no longer verify. [y/N] ")
    }

    private func report(_ results: [KeysRevocationResult]) {
        if output.json {
            Terminal.output(JSONOutput.document(.keysRevoke, KeysRevokeJSON(results: results)))
            return
        }
        let rows = results.map { result in
            [result.outcome.rawValue, result.key.owner.username, String(result.key.id), result.key.fingerprint, result.error ?? ""]
        }
        Terminal.output(KeysOutput.table(["RESULT", "OWNER", "ID", "FINGERPRINT", "ERROR"], rows))
    }
}
