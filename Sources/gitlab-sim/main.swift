import ArgumentParser
import GitLabSim
import Logging

@main
struct GitLabSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gitlab-sim",
        abstract: "A GitLab REST simulator with an embedded job runner, on loopback.",
        discussion: "Prints its base URL as the first line of stdout; stops on SIGTERM or SIGINT."
    )

    @Option(help: "Seed file (JSON) with users, groups, projects, pipelines and jobs.")
    var seed: String

    @Option(help: "Port to listen on (0: chosen by the system).")
    var port: Int = 0

    @Option(help: "Loopback address to listen on (127.0.0.1, ::1 or localhost).")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("fault"), help: "A fault rule as JSON (repeatable), added after the seed's.")
    var faults: [String] = []

    @Flag(name: .shortAndLong, help: "Log requests and jobs to stderr.")
    var verbose = false

    func run() async throws {
        var logger = Logger(label: "gitlab-sim")
        logger.logLevel = verbose ? .debug : .warning
        try await SimProcess.run(seedPath: seed, host: host, port: port, faults: faults, logger: logger)
    }
}
