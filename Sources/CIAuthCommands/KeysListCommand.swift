import ArgumentParser
import CIAuthCore
import Foundation

/// `ciauth keys list`: security signing keys with their owners' state and membership.
struct KeysListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List security signing keys (yours by default, a user's, or every member's of a group)."
    )

    @Option(help: ArgumentHelp("List this user's keys.", valueName: "name"))
    var user: String?

    @Option(help: ArgumentHelp("List the keys of every member of this group (full path).", valueName: "group"))
    var group: String?

    @Flag(help: "Include keys that are not security signing keys (plain SSH keys, authentication-only keys).")
    var allTypes = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if user != nil, group != nil { throw ValidationError("give --user or --group, not both") }
    }

    var scope: KeysScope {
        if let user { return .users([user]) }
        if let group { return .group(group) }
        return .currentUser
    }

    func run() async throws {
        let context = CommandContext(output: output)
        do {
            // A named user's public keys are served without a token; a group or "me" needs one.
            let keys = try await context.withGitLab(server, anonymous: user != nil) { client in
                try await KeysInventory(client: client).keys(of: scope)
            }.filter { allTypes || $0.isSecuritySigningKey }
            let now = Date()
            if output.json {
                Terminal.output(JSONOutput.document(.keysList, KeysListJSON(keys: keys)))
            } else if keys.isEmpty {
                Terminal.note("no \(allTypes ? "" : "security signing ")keys found")
            } else {
                Terminal.output(KeysOutput.table(KeysOutput.keyHeader, keys.map { KeysOutput.keyRow($0, now: now) }))
            }
        } catch {
            throw Failure.report(error)
        }
    }
}
