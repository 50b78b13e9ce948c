import Foundation
import Testing

@testable import FIDO2

@Suite struct PINIntegrationTests {
    static let pin = "483920"

    @Test func infoShowsPINAndRetries() async throws {
        let key = try await VirtualKeyProcess(["--pin", Self.pin])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        #expect(device.info.isPINSet)
        #expect(device.info.pinRetries == 8)
    }

    @Test func makeCredentialAsksForThePINWithRetries() async throws {
        let key = try await VirtualKeyProcess(["--pin", Self.pin])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        await expectFIDO2Error(.pinRequired) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest())
        }
        let provider = ScriptedPIN([Self.pin])
        let credential = try await device.makeCredential(Sample.credentialRequest(), pin: provider)
        #expect(provider.asked == [PINRequest(device: key.address, retriesLeft: 8, previousAttemptFailed: false)])
        #expect(credential.flags.contains(.userVerified))
    }

    @Test func wrongPINThenRightOneShowsRetriesLeft() async throws {
        let key = try await VirtualKeyProcess(["--pin", Self.pin])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let provider = ScriptedPIN(["000000", Self.pin])
        _ = try await device.makeCredential(Sample.credentialRequest(), pin: provider)
        #expect(provider.asked.map(\.retriesLeft) == [8, 7])
        #expect(provider.asked.map(\.previousAttemptFailed) == [false, true])
        #expect(try await device.currentInfo().pinRetries == 8)  // a right PIN restores the counter
    }

    @Test func assertionSendsThePINOnlyWhenVerificationIsRequired() async throws {
        let key = try await VirtualKeyProcess(["--pin", Self.pin])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest(), pin: ScriptedPIN([Self.pin]))
        let untouched = ScriptedPIN([Self.pin])
        let presenceOnly = try await device.getAssertion(Sample.assertionRequest([credential]), pin: untouched)
        #expect(untouched.asked.isEmpty)
        #expect(!presenceOnly.flags.contains(.userVerified))
        let verifying = ScriptedPIN([Self.pin])
        let verified = try await device.getAssertion(
            Sample.assertionRequest([credential], userVerification: true), pin: verifying)
        #expect(verifying.asked.count == 1)
        #expect(verified.flags.contains(.userVerified) && verified.flags.contains(.userPresent))
    }

    @Test func verificationWithoutAPINIsExplained() async throws {
        let key = try await VirtualKeyProcess()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest())
        let error = await expectFIDO2Error(.pinNotSet) { () async throws(FIDO2Error) in
            try await device.getAssertion(Sample.assertionRequest([credential], userVerification: true))
        }
        #expect(error?.message.contains("fido2-token -S") == true)
    }

    @Test func cancelledPINEntryEndsTheOperation() async throws {
        let key = try await VirtualKeyProcess(["--pin", Self.pin])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        await expectFIDO2Error(.cancelled) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(), pin: ScriptedPIN([nil]))
        }
    }

    /// Three wrong PINs in a row need a power cycle; eight in all block the PIN for good.
    @Test func wrongPINsBlockThePIN() async throws {
        let key = try await VirtualKeyProcess(["--pin", Self.pin])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let wrong = ScriptedPIN(Array(repeating: "111111", count: 20))
        await expectFIDO2Error(.pinAuthBlocked) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(), pin: wrong)
        }
        #expect(wrong.asked.map(\.retriesLeft) == [8, 7, 6])
        #expect(try key.control("power-cycle") == "ok")
        await expectFIDO2Error(.pinAuthBlocked) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(), pin: wrong)
        }
        #expect(try key.control("power-cycle") == "ok")
        let error = await expectFIDO2Error(.pinBlocked) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(), pin: wrong)
        }
        #expect(wrong.asked.map(\.retriesLeft) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(wrong.asked.last?.prompt.contains("blocks") == true)
        #expect(error?.message.contains("reset") == true)
        // Nothing is asked once the PIN is blocked.
        let right = ScriptedPIN([Self.pin])
        await expectFIDO2Error(.pinBlocked) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(), pin: right)
        }
        #expect(right.asked.isEmpty)
    }
}
