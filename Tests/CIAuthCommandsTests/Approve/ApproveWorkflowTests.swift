import CIAuthCore
import FIDO2
import Foundation
import GitLab
import GitLabSim
import Logging
import Testing
import VirtualKey

/// The enroll and approve workflows in-process (real libfido2, virtual key with a PIN, real HTTP
/// to the simulator), for what the terminal cannot drive in a test: the PIN prompt.
@Suite("approve workflows in-process")
struct ApproveWorkflowTests {
    /// Records what the workflow says and answers PIN prompts with a fixed PIN.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        private var pinRequests: [PINRequest] = []

        var notes: [String] { lock.withLock { lines } }
        var pins: [PINRequest] { lock.withLock { pinRequests } }

        func interaction(pin: String) -> ApproveInteraction {
            ApproveInteraction(
                note: { line in self.lock.withLock { self.lines.append(line) } },
                deviceEvents: { event in
                    if let prompt = ApproveInteraction.prompt(for: event) { self.lock.withLock { self.lines.append(prompt) } }
                },
                pin: ClosurePINProvider { request in
                    self.lock.withLock { self.pinRequests.append(request) }
                    return pin
                },
                confirm: { _ in nil })
        }
    }

    @Test("--require-pin: the PIN is asked at enrollment and again for the approval (UV flag set)")
    func pinRequiredApproval() async throws {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("ca-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = VirtualAuthenticatorConfiguration()
        configuration.initialPIN = "4711"
        configuration.touch = .after(.milliseconds(200))  // a real wait, so the prompt appears
        let key = try VirtualKeyServer.start(socketPath: directory.path + "/key.sock", config: configuration)
        defer { key.stop() }
        let seed = try SimSeed.decode(json: Data(ApproveWorld.seedJSON(directory: directory, manualJobs: 2, variablesRole: "developer").utf8))
        let sim = try await GitLabSimulator.start(seed: seed)
        let gitlab = try GitLabClient(server: try GitLabServer(sim.baseURL), credentials: .accessToken(ApproveWorld.token))
        let store = CredentialStore(directory: directory.appendingPathComponent("keys"))
        let keys = ApproveSecurityKeys(
            addresses: [DeviceAddress(unixSocketPath: key.socketPath)], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let recorder = Recorder()
        do {
            let enrolled = try await EnrollWorkflow(
                gitlab: gitlab, store: store, keys: keys, interaction: recorder.interaction(pin: "4711"), hostname: "test-host"
            ).run(EnrollRequest(requirePIN: true))
            #expect(enrolled.title.hasPrefix("ciauth test-host "))
            #expect(try store.list().first?.requiresUserVerification == true)
            let pinsAfterEnroll = recorder.pins.count
            #expect(pinsAfterEnroll >= 1)

            let outcome = try await ApproveWorkflow(
                gitlab: gitlab, store: store, keys: keys, interaction: recorder.interaction(pin: "4711")
            ).run(ApproveRequest(target: "9001", project: "acme/web", assumeYes: true, output: .signOnlyTransport))
            #expect(recorder.pins.count > pinsAfterEnroll, "the approval asked for the PIN")
            let approval = try #require(outcome.approvals.first)
            #expect(approval.signature.signature.flags & 0x05 == 0x05, "user present and verified")
            #expect(outcome.jobs.isEmpty)
            #expect(recorder.notes.contains { $0.contains("Touch your security key") })
            #expect(recorder.notes.contains { $0.contains("9001 deploy:prod") })
        } catch {
            try? await gitlab.shutdown()
            try? await sim.shutdown()
            throw error
        }
        try? await gitlab.shutdown()
        try? await sim.shutdown()
    }

    @Test("durations and option checks")
    func durationsAndOptions() async throws {
        #expect(DurationText.positiveSeconds("1h30m") == 5400)
        #expect(DurationText.positiveSeconds("90d") == Int64(7_776_000))
        #expect(DurationText.positiveSeconds("60") == nil)
        #expect(DurationText.positiveSeconds("") == nil)
        #expect(DurationText.positiveSeconds("1x") == nil)
        #expect(DurationText.describe(5400) == "1h30m")
        #expect(throws: ApproveError.self) { try ApproveRequest.validate(validitySeconds: 7200, maximumSeconds: 3600, variable: "CIAUTH_APPROVAL") }
        #expect(throws: ApproveError.self) { try ApproveRequest.validate(validitySeconds: 60, maximumSeconds: 2 * 86_400, variable: "CIAUTH_APPROVAL") }
        #expect(throws: ApproveError.self) { try ApproveRequest.validate(validitySeconds: 60, maximumSeconds: 3600, variable: "BAD-NAME") }
        try ApproveRequest.validate(validitySeconds: 3600, maximumSeconds: 86_400, variable: "CIAUTH_APPROVAL")
    }
}
