import Foundation
import Testing

@testable import FIDO2

/// Opt-in, never in CI: `CIAUTH_TEST_HARDWARE_KEY=/dev/hidrawN swift test --filter HardwareKeyTests`
/// with a real key plugged in; touch it twice when it blinks (creation, then signature).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CIAUTH_TEST_HARDWARE_KEY"] != nil))
struct HardwareKeyTests {
    @Test func credentialAndAssertionOnARealKey() async throws {
        let path = try #require(ProcessInfo.processInfo.environment["CIAUTH_TEST_HARDWARE_KEY"])
        let device = try await FIDO2Device.open(try DeviceAddress(parsing: path))
        let prompt: DeviceEventHandler = { event in
            if case .waitingForTouch(let device, let purpose) = event {
                FileHandle.standardError.write(Data("Touch the security key \(device) to \(purpose.rawValue)…\n".utf8))
            }
        }
        let pin = TerminalPINProvider()
        let credential = try await device.makeCredential(Sample.credentialRequest(timeout: .seconds(30)), pin: pin, events: prompt)
        let assertion = try await device.getAssertion(
            Sample.assertionRequest([credential], timeout: .seconds(30)), pin: pin, events: prompt)
        #expect(assertion.flags.contains(.userPresent))
        await device.close()
    }
}
