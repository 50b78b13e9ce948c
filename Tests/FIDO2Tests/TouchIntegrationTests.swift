import Foundation
import Testing

@testable import FIDO2

@Suite struct TouchIntegrationTests {
    /// A `--touch never` key holding a credential: made by an auto-touch key sharing its state file.
    final class NeverTouchedKey {
        let stateDirectory: TemporaryDirectory
        let key: VirtualKeyProcess
        let device: FIDO2Device
        let credential: Credential

        init(_ extra: [String] = []) async throws {
            stateDirectory = try TemporaryDirectory()
            let state = ["--state", stateDirectory.file("state.json")]
            let enroller = try await VirtualKeyProcess(state + extra)
            credential = try await FIDO2Device.open(enroller.address).makeCredential(Sample.credentialRequest())
            enroller.stop()
            key = try await VirtualKeyProcess(state + extra + ["--touch", "never"])
            device = try await FIDO2Device.open(key.address)
        }

        func stop() {
            key.stop()
            stateDirectory.remove()
        }
    }

    /// Proves the key is still in sync: a silent assertion (no touch needed) succeeds.
    static func expectUsable(_ device: FIDO2Device, _ credential: Credential) async throws {
        var silent = Sample.assertionRequest([credential])
        silent.userPresence = false
        let assertion = try await device.getAssertion(silent)
        #expect(!assertion.flags.contains(.userPresent))
    }

    @Test func promptComesFromTheKeysKeepaliveAndOnlyOnce() async throws {
        let key = try await VirtualKeyProcess(["--touch", "wait"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        // The fallback would announce only after 20 s: an earlier event came from the keepalive.
        device.touchFallbackDelay = .seconds(20)
        let start = ContinuousClock.now
        let events = EventLog { event in
            if case .waitingForTouch = event { _ = try? key.control("touch") }
        }
        let credential = try await device.makeCredential(Sample.credentialRequest(), events: events.handler)
        // Touched in reaction to the event, long before the fallback could have fired it.
        #expect(ContinuousClock.now - start < .seconds(15))
        #expect(events.all == [.waitingForTouch(device: key.address, purpose: .makeCredential)])
        #expect(credential.flags.contains(.userPresent))
    }

    @Test func noTouchEndsWithATimeoutAndTheKeyStaysUsable() async throws {
        let never = try await NeverTouchedKey()
        defer { never.stop() }
        let (key, device, credential) = (never.key, never.device, never.credential)
        let events = EventLog()
        let start = ContinuousClock.now
        var request = Sample.assertionRequest([credential])
        request.timeout = .seconds(1)
        let error = await expectFIDO2Error(.actionTimeout) { () async throws(FIDO2Error) in
            try await device.getAssertion(request, events: events.handler)
        }
        let elapsed = ContinuousClock.now - start
        // Not before the deadline; the upper bound only catches a hang (loose for loaded machines).
        #expect(elapsed >= .seconds(1) && elapsed < .seconds(10))
        #expect(error?.message.contains("1 s") == true)
        #expect(events.all == [.waitingForTouch(device: key.address, purpose: .getAssertion)])
        try await Self.expectUsable(device, credential)
    }

    @Test func taskCancellationCancelsOnTheKeyAndTheKeyStaysUsable() async throws {
        let never = try await NeverTouchedKey()
        defer { never.stop() }
        let (key, device, credential) = (never.key, never.device, never.credential)
        let waiting = AsyncStream<Void>.makeStream()
        let events = EventLog { event in
            if case .waitingForTouch = event { waiting.continuation.yield() }
        }
        let task = Task { () async throws -> Assertion in
            try await device.getAssertion(Sample.assertionRequest([credential]), events: events.handler)
        }
        for await _ in waiting.stream { break }
        let start = ContinuousClock.now
        task.cancel()
        await expectFIDO2Error(.cancelled) { () async throws(FIDO2Error) in try await typedValue(task) }
        #expect(ContinuousClock.now - start < .seconds(10))
        try await Self.expectUsable(device, credential)
        #expect(try key.control("status") == "idle")
    }

    @Test func cancelledBeforeStartingNeverReachesTheKey() async throws {
        let key = try await VirtualKeyProcess()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let task = Task { () async throws -> Credential in
            withUnsafeCurrentTask { $0?.cancel() }
            return try await device.makeCredential(Sample.credentialRequest())
        }
        await expectFIDO2Error(.cancelled) { () async throws(FIDO2Error) in try await typedValue(task) }
        _ = try await device.makeCredential(Sample.credentialRequest())
    }

    /// DESIGN "Touches and prompts": one touch in total, the touched key wins, the other is cancelled.
    @Test func theTouchedKeyWinsAmongSeveral() async throws {
        let never = try await NeverTouchedKey()
        let touched = try await VirtualKeyProcess(["--touch", "after=300ms"])
        defer {
            never.stop()
            touched.stop()
        }
        let (idle, idleDevice, idleCredential) = (never.key, never.device, never.credential)
        let touchedDevice = try await FIDO2Device.open(touched.address)
        let touchedCredential = try await touchedDevice.makeCredential(Sample.credentialRequest())

        let events = EventLog()
        let start = ContinuousClock.now
        let assertion = try await KeySelection.getAssertion(
            Sample.assertionRequest([idleCredential, touchedCredential]), on: [idleDevice, touchedDevice],
            events: events.handler)
        #expect(ContinuousClock.now - start < .seconds(20)) // the other key never answers: 30 s if the selection waited for it
        #expect(assertion.device == touched.address)
        #expect(assertion.credential.credentialID == touchedCredential.credentialID)
        #expect(events.all.contains(.selected(device: touched.address)))
        #expect(events.all.contains(.waitingForTouch(device: idle.address, purpose: .getAssertion)))
        #expect(try idle.control("status") == "idle")
        try await Self.expectUsable(idleDevice, idleCredential)

        let credential = try await KeySelection.makeCredential(
            Sample.credentialRequest(), on: [idleDevice, touchedDevice], events: events.handler)
        #expect(credential.device == touched.address)
        #expect(try idle.control("status") == "idle")
    }

    /// A key without the credential is dropped by the silent probe and never waits for a touch.
    @Test func keysWithoutTheCredentialAreLeftOut() async throws {
        let holder = try await VirtualKeyProcess()
        let stranger = try await VirtualKeyProcess(["--touch", "never"])
        defer {
            holder.stop()
            stranger.stop()
        }
        let holderDevice = try await FIDO2Device.open(holder.address)
        let strangerDevice = try await FIDO2Device.open(stranger.address)
        let credential = try await holderDevice.makeCredential(Sample.credentialRequest())
        let events = EventLog()
        let assertion = try await KeySelection.getAssertion(
            Sample.assertionRequest([credential]), on: [strangerDevice, holderDevice], events: events.handler)
        #expect(assertion.device == holder.address)
        #expect(!events.all.contains(.waitingForTouch(device: stranger.address, purpose: .getAssertion)))
        let error = await expectFIDO2Error(.noCredentials) { () async throws(FIDO2Error) in
            try await KeySelection.getAssertion(
                Sample.assertionRequest([credential]), on: [strangerDevice, strangerDevice])
        }
        #expect(error?.message.contains("SHA256:test") == true)
    }

    /// With a PIN needed first, the key is chosen by a touch (libfido2's touch probe), then the PIN.
    @Test func pinKeysAreChosenByTouchFirst() async throws {
        let idle = try await VirtualKeyProcess(["--touch", "never", "--pin", "483920"])
        let chosen = try await VirtualKeyProcess(["--touch", "after=200ms", "--pin", "483920"])
        defer {
            idle.stop()
            chosen.stop()
        }
        let devices = [try await FIDO2Device.open(idle.address), try await FIDO2Device.open(chosen.address)]
        let provider = ScriptedPIN(["483920"])
        let events = EventLog()
        let credential = try await KeySelection.makeCredential(
            Sample.credentialRequest(), on: devices, pin: provider, events: events.handler)
        #expect(credential.device == chosen.address)
        #expect(provider.asked.map(\.device) == [chosen.address])
        #expect(events.all.contains(.waitingForTouch(device: chosen.address, purpose: .selectKey)))
        #expect(try idle.control("status") == "idle")
    }
}
