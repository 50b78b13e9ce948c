import Foundation
import Testing
@testable import VirtualKey

/// The U2F-only (CTAP1) mode on raw CTAPHID packets.
@Suite struct U2FModeTests {
    static func u2fKey(_ touch: TouchMode = .auto) throws -> TestKey {
        try TestKey { configuration in
            configuration.u2fOnly = true
            configuration.touch = touch
        }
    }

    /// `CLA INS P1 P2 00 Lc1 Lc2 data 00 00`, the extended form libfido2 sends.
    static func apdu(_ ins: UInt8, p1: UInt8 = 0, _ data: [UInt8]) -> [UInt8] {
        [0, ins, p1, 0, 0, UInt8(data.count >> 8), UInt8(data.count & 0xff)] + data + [0, 0]
    }

    static func statusWord(_ reply: [UInt8]) -> UInt16 { UInt16(reply[reply.count - 2]) << 8 | UInt16(reply[reply.count - 1]) }

    @Test func initAdvertisesWinkOnlySoMSGIsImplementedAndCBORIsNot() throws {
        let key = try Self.u2fKey()
        defer { key.stop() }
        let client = try key.client()
        client.send(RawKeyClient.initPacket(channel: CTAPHID.broadcastChannel, command: 0x06, length: 8, data: [7, 7, 7, 7, 7, 7, 7, 7]))
        let reply = try #require(client.receive())
        #expect(reply[23] == CTAPHID.capabilityWink)
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: CTAPHID.Command.cbor.rawValue, payload: [0x04])
        let refused = try client.receiveMessage(channel: channel)
        #expect(refused.command == CTAPHID.Command.error.rawValue && refused.payload == [CTAPHID.ErrorCode.invalidCommand.rawValue])
    }

    @Test func registerThenAuthenticateWithTheHandleForItsAppOnly() throws {
        let key = try Self.u2fKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        let msg = CTAPHID.Command.msg.rawValue
        let app = [UInt8](repeating: 0xa1, count: 32)
        client.sendMessage(channel: channel, command: msg, payload: Self.apdu(0x03, []))
        #expect(try client.receiveMessage(channel: channel).payload == Array("U2F_V2".utf8) + [0x90, 0x00])
        client.sendMessage(channel: channel, command: msg, payload: Self.apdu(0x01, [UInt8](repeating: 1, count: 32) + app))
        let registration = try client.receiveMessage(channel: channel).payload
        #expect(Self.statusWord(registration) == 0x9000 && registration[0] == 0x05)
        let handle = Array(registration[67..<(67 + Int(registration[66]))])
        let challenge = [UInt8](repeating: 2, count: 32)
        for (p1, otherApp, expected) in [(UInt8(0x07), false, UInt16(0x6985)), (0x07, true, 0x6a80), (0x03, false, 0x9000)] {
            let appParameter = otherApp ? [UInt8](repeating: 0xb2, count: 32) : app
            client.sendMessage(channel: channel, command: msg,
                               payload: Self.apdu(0x02, p1: p1, challenge + appParameter + [UInt8(handle.count)] + handle))
            #expect(Self.statusWord(try client.receiveMessage(channel: channel).payload) == expected)
        }
    }

    @Test func anUntouchedKeyAnswersConditionsNotSatisfiedAtOnce() throws {
        let key = try Self.u2fKey(.wait)
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        let register = Self.apdu(0x01, [UInt8](repeating: 1, count: 64))
        client.sendMessage(channel: channel, command: CTAPHID.Command.msg.rawValue, payload: register)
        #expect(Self.statusWord(try client.receiveMessage(channel: channel).payload) == 0x6985)
        #expect(key.authenticator.isWaitingForTouch)
        key.authenticator.touch()
        client.sendMessage(channel: channel, command: CTAPHID.Command.msg.rawValue, payload: register)
        #expect(Self.statusWord(try client.receiveMessage(channel: channel).payload) == 0x9000)
    }
}
