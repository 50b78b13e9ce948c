import Foundation
import Testing
@testable import VirtualKey

/// CTAP2 behaviour through the socket with the raw client (signatures are checked by the
/// independent python-fido2 tests).
@Suite struct CTAP2Tests {
    @Test func getInfoAdvertisesWhatTheKeyDoes() throws {
        let aaguid = UUID()
        let key = try TestKey { $0.aaguid = aaguid; $0.builtInUV = true }
        defer { key.stop() }
        let client = try key.client()
        let info = try #require(try client.ctap2(channel: client.allocateChannel(), 0x04).body)
        #expect(info[1] == .array(["FIDO_2_0", "FIDO_2_1"]))
        #expect(info[3] == .bytes(withUnsafeBytes(of: aaguid.uuid) { Array($0) }))
        #expect(info[4]?["clientPin"] == false)
        #expect(info[4]?["uv"] == true)
        #expect(info[4]?["rk"] == true)
        #expect(info[5] == 1200)
        #expect(info[6] == .array([2, 1]))
        #expect(info[10]?.arrayValue?.compactMap { $0["alg"]?.intValue } == [-7, -8])
    }

    @Test func makeCredentialAndAssertWithBothAlgorithms() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        for alg in [-7, -8] {
            let made = try client.ctap2(channel: channel, 0x01, Requests.makeCredential(alg: alg))
            #expect(made.status == 0)
            #expect(made.body?[1] == "packed")
            #expect(made.body?[3]?["x5c"]?.arrayValue?.first == .bytes(TestAttestation.certificateDER))
            let id = try Requests.credentialID(fromMakeCredential: made.body)
            #expect(id.count == 63)
            let asserted = try client.ctap2(channel: channel, 0x02, Requests.getAssertion(allow: [id]))
            #expect(asserted.status == 0)
            #expect(asserted.body?[1]?["id"] == .bytes(id))
            let authData = try #require(asserted.body?[2]?.bytesValue)
            #expect(authData.count == 37 && authData[32] == AuthenticatorData.flagUserPresent)
        }
    }

    @Test func counterIsGlobalAndMonotonic() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        let id = try Requests.credentialID(fromMakeCredential: client.ctap2(channel: channel, 0x01, Requests.makeCredential()).body)
        var counters: [UInt32] = []
        for _ in 0..<3 {
            let authData = try #require(try client.ctap2(channel: channel, 0x02, Requests.getAssertion(allow: [id])).body?[2]?.bytesValue)
            counters.append(authData[33..<37].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
        #expect(counters == [2, 3, 4])
        #expect(key.authenticator.signatureCounter == 4)
    }

    @Test func foreignOrMangledCredentialIDsAreNotFound() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        var id = try Requests.credentialID(fromMakeCredential: client.ctap2(channel: channel, 0x01, Requests.makeCredential()).body)
        #expect(try client.ctap2(channel: channel, 0x02, Requests.getAssertion(rpID: "ssh:other", allow: [id])).status == CTAP2Status.noCredentials.rawValue)
        id[20] ^= 1
        #expect(try client.ctap2(channel: channel, 0x02, Requests.getAssertion(allow: [id])).status == CTAP2Status.noCredentials.rawValue)
        let otherKey = try TestKey()
        defer { otherKey.stop() }
        let otherClient = try otherKey.client()
        let otherID = try Requests.credentialID(fromMakeCredential: otherClient.ctap2(channel: otherClient.allocateChannel(), 0x01, Requests.makeCredential()).body)
        #expect(try client.ctap2(channel: channel, 0x02, Requests.getAssertion(allow: [otherID])).status == CTAP2Status.noCredentials.rawValue)
    }

    @Test(arguments: [
        (CBORValue.map([2: .map(["id": "x"])]), CTAP2Status.missingParameter),
        (.map([1: .bytes([1, 2]), 2: .map(["id": "x"]), 3: .map(["id": .bytes([1])]), 4: .array([])]), .invalidLength),
        (.map([1: Requests.clientDataHash, 2: .map(["id": 5]), 3: .map(["id": .bytes([1])]), 4: .array([])]), .cborUnexpectedType),
        (.map([1: Requests.clientDataHash, 2: .map(["id": "x"]), 3: .map(["id": .bytes([1])]), 4: .array([])]), .unsupportedAlgorithm),
        (.map([1: Requests.clientDataHash, 2: .map(["id": "x"]), 3: .map(["id": .bytes([1])]),
               4: .array([.map(["alg": -7, "type": "public-key"])]), 7: .map(["up": false])]), .invalidOption),
        (.map([1: Requests.clientDataHash, 2: .map(["id": "x"]), 3: .map(["id": .bytes([1])]),
               4: .array([.map(["alg": -7, "type": "public-key"])]), 7: .map(["uv": true])]), .invalidOption),
        (.array([]), .cborUnexpectedType),
    ])
    func makeCredentialRejectsBadRequests(_ parameters: CBORValue, _ expected: CTAP2Status) throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        #expect(try client.ctap2(channel: client.allocateChannel(), 0x01, parameters).status == expected.rawValue)
    }

    @Test func malformedCBORAndUnknownCommands() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x01, 0xa1, 0x01])
        #expect(try client.receiveMessage(channel: channel).payload == [CTAP2Status.invalidCBOR.rawValue])
        client.sendMessage(channel: channel, command: 0x10, payload: [0x55])
        #expect(try client.receiveMessage(channel: channel).payload == [CTAP2Status.invalidCommand.rawValue])
    }

    @Test func touchNeverTimesOutAndDelayedTouchSucceeds() throws {
        let never = try TestKey { $0.touch = .never; $0.userActionTimeout = .milliseconds(300) }
        defer { never.stop() }
        let client = try never.client()
        let result = try client.ctap2(channel: client.allocateChannel(), 0x01, Requests.makeCredential())
        #expect(result.status == CTAP2Status.userActionTimeout.rawValue)
        #expect(result.keepalives >= 2)

        let delayed = try TestKey { $0.touch = .after(.milliseconds(250)) }
        defer { delayed.stop() }
        let delayedClient = try delayed.client()
        let started = Date()
        let made = try delayedClient.ctap2(channel: delayedClient.allocateChannel(), 0x01, Requests.makeCredential())
        #expect(made.status == 0)
        #expect(Date().timeIntervalSince(started) >= 0.25)
        #expect(made.keepalives >= 1)
    }

    @Test func denyEndsWaitWithOperationDenied() throws {
        let key = try TestKey { $0.touch = .wait }
        defer { key.stop() }
        key.authenticator.deny()
        let client = try key.client()
        #expect(try client.ctap2(channel: client.allocateChannel(), 0x01, Requests.makeCredential()).status == CTAP2Status.operationDenied.rawValue)
    }

    @Test(arguments: [(1, true, true), (2, true, false), (3, false, false)])
    func credProtectHidesCredentialsWithoutUV(level: Int, foundByID: Bool, discoverable: Bool) throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        #expect(try client.ctap2(channel: channel, 0x04).body?[2] == .array(["credProtect"]))
        var request = Requests.makeCredential(rk: true)
        if case .map(var entries) = request { entries[6] = .map(["credProtect": .int(level)]); request = .map(entries) }
        let made = try client.ctap2(channel: channel, 0x01, request)
        let authData = try #require(made.body?[2]?.bytesValue)
        #expect(authData[32] & AuthenticatorData.flagExtensionData != 0)
        let expected = CBOREncoder.encode(.map(["credProtect": .int(level)]))
        #expect(Array(authData.suffix(expected.count)) == expected)
        let id = try Requests.credentialID(fromMakeCredential: made.body)
        let byID = try client.ctap2(channel: channel, 0x02, Requests.getAssertion(allow: [id]))
        #expect(byID.status == (foundByID ? 0 : CTAP2Status.noCredentials.rawValue))
        let discovered = try client.ctap2(channel: channel, 0x02, Requests.getAssertion())
        #expect(discovered.status == (discoverable ? 0 : CTAP2Status.noCredentials.rawValue))
    }

    @Test func credProtectRejectsUnknownLevels() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        var request = Requests.makeCredential()
        if case .map(var entries) = request { entries[6] = .map(["credProtect": 4]); request = .map(entries) }
        #expect(try client.ctap2(channel: client.allocateChannel(), 0x01, request).status == CTAP2Status.invalidParameter.rawValue)
    }

    @Test func selectionWaitsForTouch() throws {
        let key = try TestKey { $0.touch = .wait }
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        key.authenticator.touch()
        #expect(try client.ctap2(channel: channel, 0x0b).status == 0)
        key.authenticator.deny()
        #expect(try client.ctap2(channel: channel, 0x0b).status == CTAP2Status.operationDenied.rawValue)
    }

    @Test func upFalseSkipsTouchAndClearsFlag() throws {
        let key = try TestKey { $0.touch = .wait }
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        key.authenticator.touch()
        let id = try Requests.credentialID(fromMakeCredential: client.ctap2(channel: channel, 0x01, Requests.makeCredential()).body)
        let asserted = try client.ctap2(channel: channel, 0x02, Requests.getAssertion(allow: [id], up: false))
        #expect(asserted.status == 0)
        #expect(asserted.body?[2]?.bytesValue?[32] == 0)
    }

    @Test func pinSetRequiresPinForMakeCredential() throws {
        let key = try TestKey { $0.initialPIN = "123456" }
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        #expect(try client.ctap2(channel: channel, 0x04).body?[4]?["clientPin"] == true)
        #expect(try client.ctap2(channel: channel, 0x01, Requests.makeCredential()).status == CTAP2Status.pinRequired.rawValue)
        let retries = try client.ctap2(channel: channel, 0x06, .map([1: 2, 2: 1]))
        #expect(retries.body?[3] == 8)
        // The empty pinUvAuthParam probe (touch-to-select) answers PIN_AUTH_INVALID after a touch.
        var probe = Requests.makeCredential()
        if case .map(var entries) = probe { entries[8] = .bytes([]); entries[9] = 2; probe = .map(entries) }
        #expect(try client.ctap2(channel: channel, 0x01, probe).status == CTAP2Status.pinAuthInvalid.rawValue)
    }

    @Test func statePersistsAcrossRestartsAndResetClearsIt() throws {
        let directory = try TestKey.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stateFile = directory.appendingPathComponent("state.json").path
        let first = try TestKey { $0.stateFile = stateFile; $0.initialPIN = "1234" }
        let client = try first.client()
        let channel = try client.allocateChannel()
        #expect(try client.ctap2(channel: channel, 0x06, .map([1: 1, 2: 1])).status == 0)
        first.stop()

        // Same state, PIN already set: --pin is ignored, credentials made before still work.
        let second = try TestKey { $0.stateFile = stateFile; $0.initialPIN = "9999" }
        defer { second.stop() }
        let json = try String(contentsOfFile: stateFile, encoding: .utf8)
        #expect(json.contains("\"pinRetries\" : 8"))
        #expect(!json.contains("1234"))
        let permissions = try FileManager.default.attributesOfItem(atPath: stateFile)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let secondClient = try second.client()
        let secondChannel = try secondClient.allocateChannel()
        #expect(try secondClient.ctap2(channel: secondChannel, 0x04).body?[4]?["clientPin"] == true)
        #expect(try secondClient.ctap2(channel: secondChannel, 0x07).status == 0)
        #expect(try secondClient.ctap2(channel: secondChannel, 0x04).body?[4]?["clientPin"] == false)
    }

    @Test func residentCredentialsSurviveRestart() throws {
        let directory = try TestKey.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stateFile = directory.appendingPathComponent("state.json").path
        let first = try TestKey { $0.stateFile = stateFile }
        let client = try first.client()
        let made = try client.ctap2(channel: client.allocateChannel(), 0x01, Requests.makeCredential(alg: -8, userID: [9, 9], rk: true))
        let id = try Requests.credentialID(fromMakeCredential: made.body)
        first.stop()

        let second = try TestKey { $0.stateFile = stateFile }
        defer { second.stop() }
        let secondClient = try second.client()
        let asserted = try secondClient.ctap2(channel: secondClient.allocateChannel(), 0x02, Requests.getAssertion())
        #expect(asserted.status == 0)
        #expect(asserted.body?[1]?["id"] == .bytes(id))
        #expect(asserted.body?[4]?["id"] == .bytes([9, 9]))
        #expect(second.authenticator.signatureCounter == 2)
    }

    @Test func corruptStateFileIsRefused() throws {
        let directory = try TestKey.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stateFile = directory.appendingPathComponent("state.json").path
        try Data("{\"version\": 1}".utf8).write(to: URL(fileURLWithPath: stateFile))
        var configuration = VirtualAuthenticatorConfiguration()
        configuration.stateFile = stateFile
        #expect(throws: VirtualKeyError.self) { try VirtualAuthenticator(config: configuration) }
    }
}
