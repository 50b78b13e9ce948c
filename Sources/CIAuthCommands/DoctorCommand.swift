import ArgumentParser
import CIAuthCore
import GitLab
import Foundation

/// `ciauth doctor`: checks this machine and GitLab, each OK/WARN/FAIL with the fix.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check libfido2, security keys and their permissions, GitLab, the token and its scopes, the clock, your credentials, and the project's pipeline-variables setting.",
        discussion: "Exit status 1 when any check fails."
    )

    @Option(help: ArgumentHelp("Also check this project's \"minimum role to use pipeline variables\" against you.", valueName: "project"))
    var project: String?

    @Option(help: .hidden)
    var sysfsDirectory = "/sys/class/hidraw"

    @Option(help: .hidden)
    var deviceDirectory = "/dev"

    @OptionGroup var server: ServerOptions
    @OptionGroup var device: DeviceOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let context = CommandContext(output: output)
        var checks = [
            DoctorLocalChecks.libfido2(),
            DoctorLocalChecks.hidraw(sysfsDirectory: sysfsDirectory, deviceDirectory: deviceDirectory),
            await DoctorLocalChecks.securityKeys(explicit: (try? context.deviceAddresses(device)) ?? [], logger: context.logger),
        ]
        checks += await gitLabChecks(context)
        if output.json {
            Terminal.output(JSONOutput.document(.doctor, DoctorJSON(checks: checks)))
        } else {
            for check in checks {
                Terminal.output(Terminal.safe("\(check.status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0))  \(check.name): \(check.message)"))
                if let fix = check.fix, check.status != .ok { Terminal.output(Terminal.safe("      fix: \(fix)")) }
            }
        }
        if checks.contains(where: { $0.status == .fail }) { throw ExitStatus.failure.exitCode }
    }

    private func gitLabChecks(_ context: CommandContext) async -> [DoctorCheck] {
        let client: GitLabClient
        do {
            client = try context.makeGitLabClient(server)
        } catch {
            return [DoctorCheck("gitlab", .fail, String(describing: error), fix: "set --server or CIAUTH_SERVER, and a token")]
        }
        let (tokenCheck, answer) = await DoctorGitLabChecks.token(client)
        var checks = [tokenCheck]
        if let (user, clock) = answer {
            checks.append(DoctorClockCheck.check(clock))
            checks.append(await DoctorTokenCheck.check(client))
            let store = (try? ConfigDirectory(environment: context.environment)).map { CredentialStore(configDirectory: $0) }
            checks.append(await DoctorCredentialCheck.check(client, store: store, username: user.username))
            if let project {
                checks.append(await DoctorGitLabChecks.pipelineVariables(client, project: project, user: user))
            }
        }
        try? await client.shutdown()
        return checks
    }
}
