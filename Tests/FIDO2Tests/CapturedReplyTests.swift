import Crypto
import Foundation
import Testing

@testable import FIDO2

/// Replies recorded from real keys (libfido2 1.12.0's fuzz/wiredata_fido2.h, see
/// `CapturedWireData`) replayed through ciauth's transport and libfido2: the parsers run on bytes
/// nobody here produced. Expected values are read out of the captured CBOR by fixed offsets (the
/// layout is spelled out at each), independently of libfido2 and ciauth.
@Suite struct CapturedReplyTests {
    /// getInfo of a CTAP 2.1-preview key: read by libfido2 when opening, then by ciauth.
    @Test func getInfoOfARealKeyIsRead() async throws {
        let key = try ReplayKey()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let info = device.info
        #expect(info.isFIDO2)
        #expect(info.versions == ["U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE"])
        #expect(info.extensions == ["credProtect", "hmac-secret"])
        // Map key 3, a 16-byte string at offset 61 of the reply.
        let reply = Self.message(CapturedWireData.getInfoReply)
        #expect(reply[59...61] == [0x03, 0x50, 0x19])
        #expect(info.aaguid == Array(reply[61..<77]))
        #expect(info.aaguidString == "1956e5bd-a374-45f1-a814-356403fdbc18")
        #expect(info.options == ["rk": true, "up": true, "plat": false, "clientPin": false, "credentialMgmtPreview": true])
        #expect(info.algorithms == [-7, -8])
        #expect(info.supportsPIN && !info.isPINSet && info.pinRetries == nil)
        #expect(!info.alwaysRequiresUserVerification && !info.hasBuiltInUserVerification)
        #expect(key.requests.first == ReplayKey.Request(command: ReplayKey.initCommand, ctapCommand: nil))
        #expect(key.requests.dropFirst().allSatisfy { $0 == Self.getInfoRequest })
        await device.close()
    }

    /// A YubiKey's packed attestation (x5c with one certificate) for rp "localhost": libfido2
    /// verifies its signature, ciauth reads the credential, and the key's keepalives announce the
    /// wait for a touch.
    @Test func makeCredentialReplyOfARealKeyIsAccepted() async throws {
        let key = try ReplayKey()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        device.touchFallbackDelay = .seconds(20)
        let events = EventLog()
        let credential = try await device.makeCredential(Self.credentialRequest(), events: events.handler)
        // Reply: status 00, map a3, 01 "packed", 02 then a 196-byte string (58 c4) at offset 13.
        let reply = Self.message(CapturedWireData.makeCredentialReply)
        #expect(Array(reply[0...12]) == [0x00, 0xa3, 0x01, 0x66] + Array("packed".utf8) + [0x02, 0x58, 0xc4])
        let authData = Array(reply[13..<(13 + 196)])
        #expect(credential.authenticatorData == authData)
        #expect(credential.authenticatorDataCBOR == Array(reply[11..<(13 + 196)]))
        #expect(Array(authData[0..<32]) == Array(SHA256.hash(data: Array("localhost".utf8))))
        #expect(credential.flags == [.userPresent, .userVerified, .attestedCredentialData])
        #expect(credential.signCount == 0)
        #expect(credential.aaguid == Array(authData[37..<53]))
        #expect(authData[53...54] == [0x00, 0x40])
        #expect(credential.credentialID == Array(authData[55..<119]))
        // COSE key after the id: a5 01 02 03 26 20 01 21 58 20 <x> 22 58 20 <y>.
        #expect(authData[119...128] == [0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20])
        #expect(credential.publicKey == [0x04] + authData[129..<161] + authData[164..<196])
        #expect(credential.attestation.format == "packed")
        #expect(credential.attestation.trust == .certificateNotChecked)
        let certificate = try #require(credential.attestation.certificate)
        #expect(certificate.count == 691 && certificate.starts(with: [0x30, 0x82, 0x02, 0xaf]))
        #expect(try AttestationStatement.parse(credential.attestation.statementCBOR).certificates == [certificate])
        #expect(events.all == [.waitingForTouch(device: key.address, purpose: .makeCredential)])
        #expect(key.requests.last == ReplayKey.Request(command: ReplayKey.cborCommand, ctapCommand: ReplayKey.makeCredential))
    }

    /// The same reply signed over another client data hash is refused: the signature is checked.
    @Test func makeCredentialReplyForAnotherChallengeIsRefused() async throws {
        let key = try ReplayKey()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        var request = Self.credentialRequest()
        request.clientDataHash[0] ^= 1
        await expectFIDO2Error(.attestationRejected) { () async throws(FIDO2Error) in
            try await device.makeCredential(request)
        }
    }

    /// With trusted roots, ciauth reads x5c from the real statement with its strict reader and
    /// gets as far as the chain check (Yubico's preview CA is not among the roots).
    @Test func realAttestationStatementPassesTheStrictReader() async throws {
        let key = try ReplayKey()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        var request = Self.credentialRequest()
        let pem = try AttestationRootsTests.fixture("unrelated-root.pem")
        request.attestationRoots = try AttestationRoots(pem: String(decoding: pem, as: UTF8.self))
        let error = await expectFIDO2Error(.attestationRejected) { () async throws(FIDO2Error) in
            try await device.makeCredential(request)
        }
        #expect(error?.message.contains("not issued by a trusted root") == true, "\(String(describing: error))")
    }

    /// A real assertion for a credential whose public key was not captured: libfido2 parses it and
    /// ciauth matches its credential id, then refuses it because it cannot verify the signature.
    @Test func assertionReplyOfARealKeyIsParsedAndItsSignatureChecked() async throws {
        let key = try ReplayKey()
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let (credentialID, _, _) = Self.capturedAssertion()
        let error = await expectFIDO2Error(.invalidSignature) { () async throws(FIDO2Error) in
            try await device.getAssertion(Self.assertionRequest(credentialID: credentialID))
        }
        #expect(error?.call == "fido_assert_verify")
        let other = credentialID.map { $0 ^ 0xff }
        await expectFIDO2Error(.malformedReply) { () async throws(FIDO2Error) in
            try await device.getAssertion(Self.assertionRequest(credentialID: other))
        }
        #expect(key.requests.last == ReplayKey.Request(command: ReplayKey.cborCommand, ctapCommand: ReplayKey.getAssertion))
    }

    /// ciauth's own readers of what `extract` takes from an assertion, on the captured bytes.
    @Test func capturedAssertionAuthenticatorDataAndSignatureAreRead() throws {
        let (_, authData, signature) = Self.capturedAssertion()
        let prefix = try AuthenticatorDataPrefix(authData)
        #expect(prefix.rpIDHash == Array(SHA256.hash(data: Array("localhost".utf8))))
        // A UV-only assertion (up=false was asked), the key's 9th signature.
        #expect(prefix.flags == [.userVerified])
        #expect(prefix.signCount == 9)
        #expect(try CBORByteString.unwrap([0x58, 0x25] + authData) == authData)
        let parsed = try ECDSASignature(derEncoded: signature)
        #expect(parsed.r == Array(signature[5..<37]))  // 30 45 02 21 00 <r>
        #expect(parsed.s == Array(signature[39..<71]))  // 02 20 <s>
        #expect(parsed.r.starts(with: [0xcf, 0x3f, 0x36, 0x0e]) && parsed.s.starts(with: [0x34, 0x9b, 0x7a, 0x82]))
    }

    // MARK: - Helpers

    static let getInfoRequest = ReplayKey.Request(command: ReplayKey.cborCommand, ctapCommand: ReplayKey.getInfo)

    static func credentialRequest() -> CredentialRequest {
        CredentialRequest(
            rpID: "localhost", userID: Array("alice".utf8), userName: "alice",
            clientDataHash: CapturedWireData.makeCredentialClientDataHash, timeout: .seconds(10))
    }

    static func assertionRequest(credentialID: [UInt8]) -> AssertionRequest {
        // Some real P-256 key (the makeCredential capture's); the one that signed was not captured.
        let reply = message(CapturedWireData.makeCredentialReply)
        let publicKey = [0x04] + reply[(13 + 129)..<(13 + 161)] + reply[(13 + 164)..<(13 + 196)]
        let reference = CredentialReference(credentialID: credentialID, algorithm: .es256, publicKey: publicKey)
        return AssertionRequest(
            rpID: "localhost", clientDataHash: Sample.hash(), allowedCredentials: [reference], userPresence: false,
            timeout: .seconds(10))
    }

    /// Credential id, authenticator data and signature of the captured assertion. Reply: 00 a3,
    /// 01 {"id": 58 40 <64 bytes> at 9, "type": "public-key"}, 02 58 25 <37 bytes> at 92,
    /// 03 58 47 <71 bytes> at 132.
    static func capturedAssertion() -> (id: [UInt8], authData: [UInt8], signature: [UInt8]) {
        let reply = message(CapturedWireData.getAssertionReply)
        precondition(reply.count == 203 && reply[7...8] == [0x58, 0x40] && reply[89...91] == [0x02, 0x58, 0x25]
            && reply[129...131] == [0x03, 0x58, 0x47])
        return (Array(reply[9..<73]), Array(reply[92..<129]), Array(reply[132..<203]))
    }

    /// The message carried by CTAPHID reports: the length from the first report, its 57 bytes,
    /// then 59 from each continuation report.
    static func message(_ reports: [UInt8]) -> [UInt8] {
        let length = Int(reports[5]) << 8 | Int(reports[6])
        var data = Array(reports[7..<64])
        for start in stride(from: 64, to: reports.count, by: 64) { data += reports[(start + 5)..<(start + 64)] }
        return Array(data.prefix(length))
    }
}
