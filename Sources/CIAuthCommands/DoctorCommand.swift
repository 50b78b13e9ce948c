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
            await securityKeyCheck(context),
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

    /// The keys named by `--device` or `CIAUTH_DEVICE`, else every connected key; an unusable
    /// `CIAUTH_DEVICE` is named rather than silently replaced by discovery.
    private func securityKeyCheck(_ context: CommandContext) async -> DoctorCheck {
        do {
            return await DoctorLocalChecks.securityKeys(explicit: try context.deviceAddresses(device), logger: context.logger)
        } catch let problem as ConfigurationProblem {
            return DoctorCheck("security-key", .fail, problem.message, fix: problem.fix)
        } catch {
            return DoctorCheck("security-key", .fail, String(describing: error))
        }
    }

    private func gitLabChecks(_ context: CommandContext) async -> [DoctorCheck] {
        let client: GitLabClient
        do {
            client = try context.makeGitLabClient(server)
        } catch let error as GitLabError where error.code == .missingServer || error.code == .missingToken {
            return [DoctorCheck("gitlab", .fail, String(describing: error), fix: "run `ciauth auth login --server https://HOST`: it checks the token with GitLab, then saves both")]
        } catch {
            // The message names the setting at fault and what to do (a CA file, a proxy, plain http).
            return [DoctorCheck("gitlab", .fail, String(describing: error))]
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
