import ArgumentParser
import Foundation
import Logging
import VirtualKey

/// Turns command-line strings into the library's configuration values.
struct VirtualKeySettings {
    var authenticator = VirtualAuthenticatorConfiguration()
    var server = VirtualKeyServerOptions()

    init(command: VirtualKeyCommand) throws {
        guard let touch = TouchMode(argument: command.touch) else {
            throw ValidationError("--touch must be auto, never, wait or after=DURATION (e.g. after=2s)")
        }
        guard command.touchTimeout > 0, command.touchTimeout <= 3600 else {
            throw ValidationError("--touch-timeout must be within (0, 3600] seconds")
        }
        guard let attestation = AttestationMode(rawValue: command.attestation) else {
            throw ValidationError("--attestation must be \(AttestationMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        authenticator.touch = touch
        authenticator.userActionTimeout = .milliseconds(Int(command.touchTimeout * 1000))
        authenticator.initialPIN = command.pin
        authenticator.builtInUV = command.uv || command.uvFails
        authenticator.builtInUVFails = command.uvFails
        authenticator.alwaysUV = command.alwaysUv
        authenticator.u2fOnly = command.u2fOnly
        authenticator.stateFile = command.state
        authenticator.attestation = attestation
        if let text = command.aaguid {
            guard let aaguid = UUID(uuidString: text) else { throw ValidationError("--aaguid is not a UUID") }
            authenticator.aaguid = aaguid
        }
        if command.verbose {
            var logger = Logger(label: "ciauth.virtual-key", factory: { StreamLogHandler.standardError(label: $0) })
            logger.logLevel = .debug
            authenticator.logger = logger
        }
        server.fault = try Self.fault(command.fault, on: command.faultOn)
    }

    private static func fault(_ name: String?, on commands: String?) throws -> FaultInjection? {
        guard let name else {
            if commands != nil { throw ValidationError("--fault-on needs --fault") }
            return nil
        }
        guard let mode = FaultMode(rawValue: name) else {
            throw ValidationError("--fault must be one of \(FaultMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var selected: Set<UInt8> = []
        for commandName in commands?.split(separator: ",").map(String.init) ?? [] {
            guard let byte = FaultInjection.commandNames[commandName] else {
                throw ValidationError("--fault-on: unknown command \(commandName)")
            }
            selected.insert(byte)
        }
        return FaultInjection(mode: mode, commands: selected)
    }
}
