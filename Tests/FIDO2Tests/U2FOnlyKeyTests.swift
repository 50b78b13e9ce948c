import Foundation
import Testing

@testable import FIDO2

/// U2F-only (CTAP1) keys: real libfido2 against `ciauth-virtual-key --u2f-only`. libfido2 talks
/// U2F to them (register / authenticate, polled every 100 ms until touched) and refuses
/// `fido_dev_cancel`, so ciauth ends their waits itself.
@Suite struct U2FOnlyKeyTests {
    @Test func credentialAndAssertionOverU2F() async throws {
        let key = try await VirtualKeyProcess(["--u2f-only", "--touch", "after=300ms"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        #expect(!device.info.isFIDO2)
        #expect(device.info.versions == ["U2F_V2"])
        let roots = try AttestationRoots(pem: try await VirtualKeyProcess.attestationRootPEM())
        let credential = try await device.makeCredential(Sample.credentialRequest(roots: roots))
        #expect(credential.attestation.format == "fido-u2f")
        #expect(credential.attestation.trust == .certificateTrusted)
        let assertion = try await device.getAssertion(Sample.assertionRequest([credential]))
        #expect(assertion.flags.contains(.userPresent))
        #expect(await device.mayHoldCredential(Sample.assertionRequest([credential])))
        let other = try await VirtualKeyProcess(["--u2f-only"])
        defer { other.stop() }
        let stranger = try await FIDO2Device.open(other.address)
        #expect(!(await stranger.mayHoldCredential(Sample.assertionRequest([credential]))))
    }

    @Test func theDeadlineEndsAnUntouchedU2FKeyAsNotTouched() async throws {
        let key = try await VirtualKeyProcess(["--u2f-only", "--touch", "never"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let start = ContinuousClock.now
        let error = await expectFIDO2Error(.actionTimeout) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(timeout: .seconds(1)))
        }
        let elapsed = ContinuousClock.now - start
        // Before: libfido2's own timeout 5 s later, misreported as "stopped answering" (the
        // message checks below); the bound only catches a hang, loose for a loaded machine.
        #expect(elapsed < .seconds(20), "took \(elapsed)")
        #expect(error?.message.contains("stopped answering") == false)
        #expect(error?.message.contains("Replug") == false)
        // Still in step: the same connection answers the next request.
        #expect(try await device.currentInfo().versions == ["U2F_V2"])
        await expectFIDO2Error(.actionTimeout) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(timeout: .milliseconds(500)))
        }
    }

    @Test func aTouchRaceDoesNotWaitForAnUntouchedU2FKey() async throws {
        let touched = try await VirtualKeyProcess(["--touch", "after=300ms"])
        let untouched = try await VirtualKeyProcess(["--u2f-only", "--touch", "never"])
        defer {
            touched.stop()
            untouched.stop()
        }
        let (devices, failures) = await FIDO2Device.openAll([touched.address, untouched.address].map {
            DiscoveredDevice(address: $0, manufacturer: nil, product: nil, vendorID: nil, productID: nil)
        })
        #expect(failures.isEmpty && devices.count == 2)
        let start = ContinuousClock.now
        let credential = try await KeySelection.makeCredential(Sample.credentialRequest(timeout: .seconds(60)), on: devices)
        let elapsed = ContinuousClock.now - start
        #expect(credential.device == touched.address)
        // Before: the untouched U2F key held the race for the timeout and 5 s more (65 s); the
        // bound is loose for a loaded machine, where the device threads queue.
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        // The U2F key was stopped cleanly and is still usable.
        #expect(try await devices[1].currentInfo().versions == ["U2F_V2"])
    }
}
