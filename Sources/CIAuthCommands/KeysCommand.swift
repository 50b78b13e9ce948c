import ArgumentParser

/// `ciauth keys`: the lifecycle of the security keys registered on GitLab profiles.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List, revoke, prune and export the security keys registered on GitLab profiles.",
        subcommands: [KeysListCommand.self, KeysRevokeCommand.self, KeysPruneCommand.self, KeysExportCommand.self]
    )
}
