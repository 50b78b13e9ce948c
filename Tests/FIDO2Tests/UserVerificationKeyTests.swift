import Foundation
import Testing

@testable import FIDO2

/// Keys that verify the user themselves (CTAP 2.1): alwaysUv, and built-in verification that
/// fails. Real libfido2 against `ciauth-virtual-key --always-uv` / `--uv-fails`.
@Suite struct UserVerificationKeyTests {
    @Test func alwaysUvWithBuiltInVerificationAndNoPIN() async throws {
        let key = try await VirtualKeyProcess(["--always-uv", "--uv"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        #expect(device.info.alwaysRequiresUserVerification && !device.info.isPINSet)
        let credential = try await device.makeCredential(Sample.credentialRequest())
        #expect(credential.flags.contains(.userVerified))
        let assertion = try await device.getAssertion(Sample.assertionRequest([credential]))
        #expect(assertion.flags.contains(.userVerified))
        // The silent probe (no touch) needs no verification, even on an alwaysUv key.
        #expect(await device.mayHoldCredential(Sample.assertionRequest([credential])))
    }

    @Test func failingBuiltInVerificationFallsBackToThePIN() async throws {
        let key = try await VirtualKeyProcess(["--uv-fails", "--pin", "1234"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let pin = ScriptedPIN(["1234", "1234", "1234", "1234"])
        var request = Sample.credentialRequest()
        request.userVerification = true
        let credential = try await device.makeCredential(request, pin: pin)
        #expect(credential.flags.contains(.userVerified))
        #expect(pin.asked.count == 1 && pin.asked.allSatisfy { !$0.previousAttemptFailed })
        // UV_INVALID twice more; the third failure is UV_BLOCKED, and then the PIN still works.
        for _ in 0..<3 {
            let assertion = try await device.getAssertion(
                Sample.assertionRequest([credential], userVerification: true), pin: pin)
            #expect(assertion.flags.contains(.userVerified))
        }
        #expect(pin.asked.count == 4)
    }

    @Test func failingBuiltInVerificationWithoutAPINIsReported() async throws {
        let key = try await VirtualKeyProcess(["--uv-fails"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        var request = Sample.credentialRequest()
        request.userVerification = true
        let pin = ScriptedPIN(["1234"])
        await expectFIDO2Error(.uvInvalid) { () async throws(FIDO2Error) in try await device.makeCredential(request, pin: pin) }
        #expect(pin.asked.isEmpty)
    }

    @Test func twoKeysFallingBackToThePINNeverAskAtOnce() async throws {
        let first = try await VirtualKeyProcess(["--always-uv", "--uv-fails", "--pin", "1234"])
        let second = try await VirtualKeyProcess(["--always-uv", "--uv-fails", "--pin", "1234"])
        defer {
            first.stop()
            second.stop()
        }
        let (devices, failures) = await FIDO2Device.openAll([first.address, second.address].map {
            DiscoveredDevice(address: $0, manufacturer: nil, product: nil, vendorID: nil, productID: nil)
        })
        #expect(failures.isEmpty && devices.count == 2)
        let pin = SlowPIN("1234")
        let credential = try await KeySelection.makeCredential(Sample.credentialRequest(), on: devices, pin: pin)
        #expect(credential.flags.contains(.userVerified))
        #expect(pin.mostAtOnce == 1)
        #expect(pin.prompts == 1, "the losing key must not ask after the race is over")
    }
}

/// Answers after 300 ms and counts how many prompts were open at the same time.
final class SlowPIN: PINProvider, @unchecked Sendable {
    private let answer: String
    private let lock = NSLock()
    private var open = 0
    private var most = 0
    private var count = 0

    init(_ answer: String) { self.answer = answer }

    var mostAtOnce: Int { lock.withLock { most } }
    var prompts: Int { lock.withLock { count } }

    func pin(for request: PINRequest) async throws(FIDO2Error) -> String? {
        lock.withLock {
            open += 1
            count += 1
            most = max(most, open)
        }
        try? await Task.sleep(for: .milliseconds(300))
        lock.withLock { open -= 1 }
        return answer
    }
}
