import ArgumentParser
import CIAuthCore
import FIDO2
import Foundation

/// `ciauth enroll`: a new credential on the security key, registered on the GitLab profile.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Create a credential on your security key and register it as a signing key on your GitLab profile.",
        discussion: """
            The credential is saved as an OpenSSH security-key file under the ciauth configuration \
            directory (keys/), usable by `ssh-keygen -Y sign -f FILE` too. It holds no secret: \
            only the key handle. With --import, an existing unencrypted id_ecdsa_sk or \
            id_ed25519_sk file is registered and adopted instead.
            """
    )

    enum KeyType: String, ExpressibleByArgument, CaseIterable {
        case ecdsa, ed25519
    }

    @Option(name: .long, help: "Key type: ecdsa (ES256, default) or ed25519.")
    var type: KeyType = .ecdsa

    @Flag(name: .long, help: "Store the credential on the key (discoverable); needs a PIN on most keys.")
    var resident = false

    @Flag(name: .customLong("require-pin"), help: "Require the PIN (user verification) for every approval with this key.")
    var requirePIN = false

    @Option(name: .long, help: ArgumentHelp("FIDO application, starting with ssh:.", valueName: "ssh:name"))
    var application: String = EnrollRequest.defaultApplication

    @Option(name: .long, help: ArgumentHelp("Title of the key on GitLab (default: ciauth HOSTNAME DATE).", valueName: "text"))
    var title: String?

    @Option(name: .long, help: ArgumentHelp("Let the key expire on GitLab after this long, e.g. 90d.", valueName: "duration"))
    var expiresIn: String?

    @Option(name: .customLong("import"), help: ArgumentHelp("Register and adopt an existing OpenSSH sk private key file instead.", valueName: "path"), completion: .file())
    var importPath: String?

    @Option(name: .long, help: ArgumentHelp("PEM file of attestation roots the key's certificate must chain to.", valueName: "path"), completion: .file())
    var attestationRoots: String?

    @OptionGroup var server: ServerOptions
    @OptionGroup var device: DeviceOptions
    @OptionGroup var touch: TouchOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let expiresIn, DurationText.positiveSeconds(expiresIn) == nil {
            throw ValidationError("--expires-in takes a duration such as 90d or 12h, got \"\(expiresIn)\"")
        }
        if importPath != nil, resident || requirePIN || type != .ecdsa || application != EnrollRequest.defaultApplication {
            throw ValidationError("--import takes the key as it is: --type, --resident, --require-pin and --application do not apply")
        }
    }

    func run() async throws {
        let command = self
        try await Interrupt.cancellingOnInterrupt { try await command.perform() }
    }

    private func perform() async throws {
        let context = CommandContext(output: output)
        do {
            let request = try makeRequest()
            let keys = ApproveSecurityKeys(addresses: try context.deviceAddresses(device), logger: context.logger)
            let store = CredentialStore(configDirectory: try ConfigDirectory(environment: context.environment))
            let result = try await context.withGitLab(server) { gitlab in
                try await EnrollWorkflow(
                    gitlab: gitlab, store: store, keys: keys, interaction: ApproveTerminal.interaction(),
                    hostname: ApproveTerminal.hostname()
                ).run(request)
            }
            try report(result)
        } catch let error as EnrollError {
            Terminal.error(error.message)
            throw ExitStatus.failure.exitCode
        } catch {
            throw Failure.report(error)
        }
    }

    private func makeRequest() throws -> EnrollRequest {
        let roots = try attestationRoots.map { path -> AttestationRoots in
            guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read the attestation roots file \(path)")
            }
            return try AttestationRoots(pem: pem)
        }
        return EnrollRequest(
            source: importPath.map { .importFile(path: $0) } ?? .create,
            algorithm: type == .ecdsa ? .es256 : .eddsa, resident: resident, requirePIN: requirePIN,
            application: application, title: title, expiresInSeconds: expiresIn.flatMap(DurationText.positiveSeconds),
            touchTimeout: .seconds(touch.touchTimeout), attestationRoots: roots)
    }

    private func report(_ result: EnrollResult) throws {
        if output.json { return Terminal.output(JSONOutput.document(.enroll, result)) }
        let action = result.alreadyRegistered ? "Adopted" : "Registered"
        Terminal.note("\(action) \(result.fingerprint) as GitLab key \(result.gitlabKeyID) (\"\(result.title)\", usage signing\(result.expiresAt.map { ", expires \($0)" } ?? "")).")
        Terminal.note("Key file: \(result.file)")
        Terminal.output(result.publicKey)
    }
}
