import ArgumentParser

/// `ciauth auth`: the GitLab token ciauth uses.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Log in to GitLab with a token, and show which server and token are in use.",
        subcommands: [AuthLoginCommand.self, AuthStatusCommand.self]
    )
}
