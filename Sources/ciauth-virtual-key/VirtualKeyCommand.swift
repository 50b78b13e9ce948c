import ArgumentParser
import Foundation
import Logging
import VirtualKey

/// `ciauth-virtual-key`: parses flags, starts a VirtualKeyServer, waits for SIGTERM/SIGINT.
@main
struct VirtualKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ciauth-virtual-key",
        abstract: "A software CTAP2 TEST authenticator serving CTAPHID on a Unix socket (not a security key).")

    @Option(help: "Unix socket path to serve 64-byte CTAPHID reports on (required).")
    var socket: String?

    @Option(help: "Simulated touch: auto, never, wait (control socket PATH.ctl) or after=DURATION (e.g. after=500ms).")
    var touch: String = "auto"

    @Option(help: "Seconds a request waits for a touch before USER_ACTION_TIMEOUT.")
    var touchTimeout: Double = 30

    @Option(help: "PIN to set when the state has none.")
    var pin: String?

    @Flag(help: "Offer built-in user verification that always succeeds.")
    var uv = false

    @Flag(help: "Built-in user verification that never recognises anyone (implies --uv): UV_INVALID, then UV_BLOCKED after 3 tries.")
    var uvFails = false

    @Flag(help: "getInfo option alwaysUv: every credential and every signature with a touch needs user verification.")
    var alwaysUv = false

    @Flag(help: "A CTAP1/U2F-only key: no CTAP2 (CBOR), U2F register and authenticate over CTAPHID_MSG.")
    var u2fOnly = false

    @Option(help: "JSON file keeping credentials, counter, PIN and retries across runs.")
    var state: String?

    @Option(help: "Fixed AAGUID (UUID).")
    var aaguid: String?

    @Option(help: "Attestation: packed (test CA certificate), packed-chain (leaf + intermediate of a vendor-like root), packed-broken-chain (an impostor intermediate), self, or none.")
    var attestation: String = AttestationMode.packed.rawValue

    @Option(help: "Send malformed answers: \(FaultMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var fault: String?

    @Option(help: "Comma-separated CTAP2 commands the fault applies to (default: all), e.g. makeCredential,getAssertion.")
    var faultOn: String?

    @Flag(help: "Print the root CA certificate (PEM) of the chosen --attestation and exit.")
    var printAttestationCA = false

    @Flag(name: .shortAndLong, help: "Log requests to stderr.")
    var verbose = false

    func validate() throws {
        if socket == nil, !printAttestationCA {
            throw ValidationError("--socket PATH is required: this test key never picks a path by itself")
        }
    }

    func run() throws {
        guard let socket, !printAttestationCA else {
            let chained = [AttestationMode.packedChain.rawValue, AttestationMode.packedBrokenChain.rawValue].contains(attestation)
            print(chained ? TestAttestation.chainRootCertificatePEM : TestAttestation.rootCertificatePEM, terminator: "")
            return
        }
        let settings = try VirtualKeySettings(command: self)
        FileHandle.standardError.write(Data("ciauth-virtual-key: this is a TEST device, not a security key; its secrets are not protected.\n".utf8))
        let signals = SignalWaiter()
        let server = try VirtualKeyServer.start(
            socketPath: socket, authenticator: VirtualAuthenticator(config: settings.authenticator),
            options: settings.server)
        FileHandle.standardOutput.write(Data("listening on \(socket)\n".utf8))
        signals.wait()
        server.stop()
    }
}
