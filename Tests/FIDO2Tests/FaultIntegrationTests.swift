import Foundation
import Testing

@testable import FIDO2

/// Malformed replies from a key end in a FIDO2Error, never in a crash or a hang.
@Suite struct FaultIntegrationTests {
    static let modes = ["bad-cbor", "short-frame", "wrong-channel", "bad-seq", "huge-length", "garbage-init", "no-response"]

    /// Every command's reply broken: opening fails or the first operation does.
    @Test(arguments: modes)
    func brokenKeyFailsCleanly(_ mode: String) async throws {
        let key = try await VirtualKeyProcess(["--fault", mode])
        defer { key.stop() }
        let start = ContinuousClock.now
        do throws(FIDO2Error) {
            let device = try await FIDO2Device.open(key.address)
            _ = try await device.makeCredential(Sample.credentialRequest(timeout: .seconds(1)))
            Issue.record("\(mode): a credential was accepted from a broken key")
        } catch {
            #expect([.malformedReply, .deviceIO, .internalError, .actionTimeout].contains(error.kind), "\(mode): \(error)")
        }
        // The cases run in parallel but share the one device thread, so the last waits for the
        // others (about 20 s on a loaded 2-core machine); a hang would never end.
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    /// Only the credential reply broken: the device opens, the operation fails with a typed error.
    @Test(arguments: modes.filter { $0 != "garbage-init" })
    func brokenCredentialReplyFailsCleanly(_ mode: String) async throws {
        let key = try await VirtualKeyProcess(["--fault", mode, "--fault-on", "makeCredential"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let error = await expectAnyFIDO2Error { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(timeout: .seconds(1)))
        }
        #expect(error?.code != nil, "\(mode): \(String(describing: error))")
    }

    /// Only the assertion reply broken.
    @Test(arguments: modes.filter { $0 != "garbage-init" })
    func brokenAssertionReplyFailsCleanly(_ mode: String) async throws {
        let key = try await VirtualKeyProcess(["--fault", mode, "--fault-on", "getAssertion"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest())
        await expectAnyFIDO2Error { () async throws(FIDO2Error) in
            try await device.getAssertion(Sample.assertionRequest([credential], timeout: .seconds(1)))
        }
    }

    /// A key that swallows the reply: the wait ends at the deadline. If the key then answers the
    /// CANCEL it is a timeout and the key stays usable; if it ignores the CANCEL too, libfido2's
    /// backstop ends the wait and the connection is dropped rather than left out of step.
    @Test func silentKeyEndsTheWaitEitherWay() async throws {
        let key = try await VirtualKeyProcess(["--fault", "no-response", "--fault-on", "getAssertion"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest())
        let start = ContinuousClock.now
        do throws(FIDO2Error) {
            _ = try await device.getAssertion(Sample.assertionRequest([credential], timeout: .milliseconds(500)))
            Issue.record("an assertion came back from a key that sends none")
        } catch where error.kind == .deviceIO {
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(500) + FIDO2Device.backstopGrace && elapsed < .seconds(12))
            #expect(error.message.contains("stopped answering"))
            await expectFIDO2Error(.deviceIO) { () async throws(FIDO2Error) in try await device.currentInfo() }
        } catch {
            #expect(error.kind == .actionTimeout, "\(error)")
            #expect(ContinuousClock.now - start < FIDO2Device.backstopGrace)
            _ = try await device.currentInfo()
        }
    }

    @discardableResult
    func expectAnyFIDO2Error<T>(_ body: () async throws(FIDO2Error) -> T) async -> FIDO2Error? {
        do {
            _ = try await body()
            Issue.record("a broken reply was accepted")
            return nil
        } catch {
            return error
        }
    }
}
