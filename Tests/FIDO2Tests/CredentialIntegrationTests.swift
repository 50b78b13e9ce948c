import Foundation
import Testing

@testable import FIDO2

/// Real libfido2 against `ciauth-virtual-key` through the `unix:` custom I/O hooks.
@Suite struct CredentialIntegrationTests {
    @Test func opensAndReadsInfo() async throws {
        let key = try await VirtualKeyProcess()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let info = device.info
        #expect(info.isFIDO2)
        #expect(info.versions.contains("FIDO_2_0"))
        #expect(info.supports(.es256) && info.supports(.eddsa))
        #expect(info.aaguidString == "63696175-7468-2d76-6b65-792d74657374")
        #expect(info.supportsResidentKeys)
        #expect(info.supportsPIN && !info.isPINSet && info.pinRetries == nil)
        #expect(try await device.currentInfo() == info)
        await device.close()
        await expectFIDO2Error(.deviceIO) { () async throws(FIDO2Error) in try await device.currentInfo() }
    }

    @Test func missingSocketIsDeviceNotFound() async {
        let error = await expectFIDO2Error(.deviceNotFound) { () async throws(FIDO2Error) in
            try await FIDO2Device.open(DeviceAddress(unixSocketPath: "/nonexistent/ciauth-\(UUID()).sock"))
        }
        #expect(error?.call == "open")
    }

    @Test func es256CredentialWithTrustedAttestationThenVerifiedAssertion() async throws {
        let key = try await VirtualKeyProcess(["--attestation", "packed"])
        defer { key.stop() }
        let roots = try AttestationRoots(pem: try await VirtualKeyProcess.attestationRootPEM())
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest(.es256, roots: roots))
        #expect(credential.attestation.format == "packed")
        #expect(credential.attestation.trust == .certificateTrusted)
        #expect(credential.attestation.certificate != nil)
        #expect(credential.publicKey.count == 65 && credential.publicKey.first == 0x04)
        #expect(!credential.credentialID.isEmpty)
        #expect(credential.flags.contains(.userPresent))
        #expect(credential.authenticatorDataCBOR.count > credential.authenticatorData.count)

        let first = try await device.getAssertion(Sample.assertionRequest([credential]))
        let second = try await device.getAssertion(Sample.assertionRequest([credential]))
        #expect(first.credential.credentialID == credential.credentialID)
        #expect(first.flags.contains(.userPresent) && !first.flags.contains(.userVerified))
        #expect(first.authenticatorData.count == 37)
        #expect(first.authenticatorData[32] == first.flags.rawValue)
        #expect(second.signCount > first.signCount)
        guard case .es256(let signature, let der) = first.signature else {
            Issue.record("not an ES256 signature")
            return
        }
        #expect((1...32).contains(signature.r.count) && (1...32).contains(signature.s.count))
        #expect(try ECDSASignature(derEncoded: der) == signature)
    }

    @Test func eddsaCredentialWithSelfAttestation() async throws {
        let key = try await VirtualKeyProcess(["--attestation", "self"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest(.eddsa))
        #expect(credential.attestation.trust == .selfAttested)
        #expect(credential.attestation.certificate == nil)
        #expect(credential.publicKey.count == 32)
        let assertion = try await device.getAssertion(Sample.assertionRequest([credential]))
        guard case .eddsa(let signature) = assertion.signature else {
            Issue.record("not an EdDSA signature")
            return
        }
        #expect(signature.count == 64)
    }

    @Test func attestationPolicy() async throws {
        let none = try await VirtualKeyProcess(["--attestation", "none"])
        let packed = try await VirtualKeyProcess(["--attestation", "packed"])
        defer {
            none.stop()
            packed.stop()
        }
        let unattested = try await FIDO2Device.open(none.address).makeCredential(Sample.credentialRequest())
        #expect(unattested.attestation.trust == .unattested)
        let roots = try AttestationRoots(pem: try await VirtualKeyProcess.attestationRootPEM())
        await expectFIDO2Error(.attestationRejected) { () async throws(FIDO2Error) in
            try await FIDO2Device.open(none.address).makeCredential(Sample.credentialRequest(roots: roots))
        }
        let unrelated = try AttestationRoots(pem: String(decoding: try AttestationRootsTests.fixture("unrelated-root.pem"), as: UTF8.self))
        await expectFIDO2Error(.attestationRejected) { () async throws(FIDO2Error) in
            try await FIDO2Device.open(packed.address).makeCredential(Sample.credentialRequest(roots: unrelated))
        }
        let unchecked = try await FIDO2Device.open(packed.address).makeCredential(Sample.credentialRequest())
        #expect(unchecked.attestation.trust == .certificateNotChecked)
    }

    @Test func signatureIsCheckedAgainstTheEnrolledKey() async throws {
        let key = try await VirtualKeyProcess()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let enrolled = try await device.makeCredential(Sample.credentialRequest())
        let other = try await device.makeCredential(Sample.credentialRequest())
        var request = Sample.assertionRequest([enrolled])
        request.allowedCredentials = [
            CredentialReference(credentialID: enrolled.credentialID, algorithm: .es256, publicKey: other.publicKey)
        ]
        let error = await expectFIDO2Error(.invalidSignature) { () async throws(FIDO2Error) in
            try await device.getAssertion(request)
        }
        #expect(error?.call == "fido_assert_verify")
    }

    @Test func excludedCredentialAndForeignCredential() async throws {
        let a = try await VirtualKeyProcess()
        let b = try await VirtualKeyProcess()
        defer {
            a.stop()
            b.stop()
        }
        let deviceA = try await FIDO2Device.open(a.address)
        let deviceB = try await FIDO2Device.open(b.address)
        let credential = try await deviceA.makeCredential(Sample.credentialRequest())
        var again = Sample.credentialRequest()
        again.excludedCredentialIDs = [credential.credentialID]
        await expectFIDO2Error(.credentialExcluded) { () async throws(FIDO2Error) in
            try await deviceA.makeCredential(again)
        }
        let error = await expectFIDO2Error(.noCredentials) { () async throws(FIDO2Error) in
            try await deviceB.getAssertion(Sample.assertionRequest([credential]))
        }
        #expect(error?.message.contains("SHA256:test (alice@laptop)") == true)
        #expect(error?.codeName == "FIDO_ERR_NO_CREDENTIALS")
    }

    @Test func residentCredentialAndBuiltInVerification() async throws {
        let key = try await VirtualKeyProcess(["--uv"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        #expect(device.info.hasBuiltInUserVerification)
        var request = Sample.credentialRequest()
        request.residentKey = true
        request.userVerification = true
        let pin = ScriptedPIN(["483920"])
        let credential = try await device.makeCredential(request, pin: pin)
        #expect(credential.flags.contains(.userVerified))
        let assertion = try await device.getAssertion(Sample.assertionRequest([credential], userVerification: true), pin: pin)
        #expect(assertion.flags.contains([.userPresent, .userVerified]))
        #expect(pin.asked.isEmpty)  // built-in verification, no PIN
    }

    @Test func invalidRequestsAreRefusedBeforeTheKey() async throws {
        let key = try await VirtualKeyProcess()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        var shortHash = Sample.assertionRequest([])
        shortHash.allowedCredentials = [CredentialReference(credentialID: [1], algorithm: .es256, publicKey: [])]
        shortHash.clientDataHash = [1, 2, 3]
        await expectFIDO2Error(.invalidRequest) { () async throws(FIDO2Error) in try await device.getAssertion(shortHash) }
        await expectFIDO2Error(.invalidRequest) { () async throws(FIDO2Error) in
            try await device.getAssertion(Sample.assertionRequest([]))
        }
        var noUser = Sample.credentialRequest()
        noUser.userID = []
        await expectFIDO2Error(.invalidRequest) { () async throws(FIDO2Error) in try await device.makeCredential(noUser) }
    }

    @Test func openAllSeparatesFailures() async throws {
        let key = try await VirtualKeyProcess()
        defer { key.stop() }
        let missing = DeviceAddress(unixSocketPath: key.directory.file("none.sock"))
        let found = try await DeviceDiscovery.discover(explicit: [missing, key.address])
        let (devices, failures) = await FIDO2Device.openAll(found.devices)
        #expect(devices.map(\.address) == [key.address])
        #expect(failures.map(\.kind) == [.deviceNotFound])
        #expect(failures.first?.device == missing.description)
    }

    @Test func explicitAddressesAreDiscovered() async throws {
        let address = DeviceAddress(unixSocketPath: "/tmp/x.sock")
        let result = try await DeviceDiscovery.discover(explicit: [address])
        #expect(result.devices.map(\.address) == [address])
        _ = try await DeviceDiscovery.discover()  // hidraw manifest: must not fail without keys
    }
}
