import Foundation
import Testing
@testable import VirtualKey

/// Each fault mode breaks exactly what it promises.
@Suite struct FaultInjectionTests {
    private func key(_ mode: FaultMode, on commands: Set<UInt8> = []) throws -> TestKey {
        var options = VirtualKeyServerOptions()
        options.fault = FaultInjection(mode: mode, commands: commands)
        return try TestKey(options: options)
    }

    @Test func badCBOR() throws {
        let key = try key(.badCBOR)
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x04])
        let reply = try client.receiveMessage(channel: channel)
        #expect(reply.payload.first == 0)
        #expect(throws: VirtualKeyError.self) { try CBORDecoder.decode(Array(reply.payload.dropFirst())) }
    }

    @Test func faultOnlyOnSelectedCommands() throws {
        let key = try key(.badCBOR, on: [0x01])
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        #expect(try client.ctap2(channel: channel, 0x04).status == 0)
        #expect(throws: VirtualKeyError.self) { try client.ctap2(channel: channel, 0x01, Requests.makeCredential()) }
    }

    @Test func shortFrameThenClose() throws {
        let key = try key(.shortFrame)
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x04])
        #expect(client.receive() == nil)
    }

    @Test func wrongChannel() throws {
        let key = try key(.wrongChannel)
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x04])
        let packet = try #require(client.receive())
        #expect(Array(packet[0..<4]) == CTAPHIDFramer.channelBytes(channel &+ 1))
    }

    @Test func badSequence() throws {
        let key = try key(.badSequence)
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x04])
        _ = try #require(client.receive())
        let continuation = try #require(client.receive())
        #expect(continuation[4] == 1)
    }

    @Test func hugeLength() throws {
        let key = try key(.hugeLength)
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x04])
        let packet = try #require(client.receive())
        #expect(Array(packet[4..<7]) == [0x90, 0xff, 0xff])
    }

    @Test func noResponse() throws {
        let key = try key(.noResponse, on: [0x01])
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x01] + CBOREncoder.encode(Requests.makeCredential()))
        #expect(client.receive(timeoutMs: 300) == nil)
        #expect(try client.ctap2(channel: channel, 0x04).status == 0)
    }

    @Test func garbageInit() throws {
        let key = try key(.garbageInit)
        defer { key.stop() }
        let client = try key.client()
        #expect(throws: (any Error).self) { try client.allocateChannel() }
    }
}
