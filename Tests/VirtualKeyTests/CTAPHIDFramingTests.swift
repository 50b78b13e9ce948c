import Foundation
import Testing
@testable import VirtualKey

/// Raw 64-byte packets against a served key (CTAP 2.1 §11.2).
@Suite struct CTAPHIDFramingTests {
    @Test func initEchoesNonceAndAllocatesDistinctChannels() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let first = try client.allocateChannel()
        let second = try client.allocateChannel()
        #expect(first != second)
        #expect(first != 0 && first != CTAPHID.broadcastChannel)
        client.send(RawKeyClient.initPacket(channel: CTAPHID.broadcastChannel, command: 0x06, length: 8, data: [9, 9, 9, 9, 9, 9, 9, 9]))
        let reply = try #require(client.receive())
        #expect(reply[19] == CTAPHID.protocolVersion)
        // WINK | CBOR | NMSG: a CTAP2-only key must say it does not implement CTAPHID_MSG.
        #expect(reply[23] == 0x0d)
    }

    @Test func pingReassemblesAndFragmentsLargeMessages() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        client.sendMessage(channel: channel, command: 0x01, payload: payload)
        let reply = try client.receiveMessage(channel: channel)
        #expect(reply.command == 0x01)
        #expect(reply.payload == payload)
    }

    @Test func winkAnswersEmpty() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x08, payload: [])
        let reply = try client.receiveMessage(channel: channel)
        #expect(reply.command == 0x08 && reply.payload.isEmpty)
    }

    @Test func wrongSequenceIsRejectedAndResets() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.send(RawKeyClient.initPacket(channel: channel, command: 0x01, length: 100, data: [UInt8](repeating: 1, count: 57)))
        client.send(RawKeyClient.continuationPacket(channel: channel, sequence: 1, data: [UInt8](repeating: 1, count: 59)))
        #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: channel, .invalidSequence))
        // The channel works again afterwards.
        client.sendMessage(channel: channel, command: 0x01, payload: [1, 2, 3])
        #expect(try client.receiveMessage(channel: channel).payload == [1, 2, 3])
    }

    @Test func unknownAndReservedChannelsAreInvalid() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        let unallocated = channel &+ 1
        client.send(RawKeyClient.initPacket(channel: unallocated, command: 0x01, length: 1, data: [0]))
        #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: unallocated, .invalidChannel))
        client.send(RawKeyClient.initPacket(channel: 0, command: 0x01, length: 1, data: [0]))
        #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: 0, .invalidChannel))
        client.send(RawKeyClient.initPacket(channel: CTAPHID.broadcastChannel, command: 0x01, length: 1, data: [0]))
        #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: CTAPHID.broadcastChannel, .invalidChannel))
    }

    @Test func lengthLimitsAreEnforced() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.send(RawKeyClient.initPacket(channel: channel, command: 0x10, length: 1201))
        #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: channel, .invalidLength))
        client.send(RawKeyClient.initPacket(channel: CTAPHID.broadcastChannel, command: 0x06, length: 7, data: [1, 2, 3, 4, 5, 6, 7]))
        #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: CTAPHID.broadcastChannel, .invalidLength))
        client.send(RawKeyClient.initPacket(channel: channel, command: 0x10, length: 0))
        #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: channel, .invalidLength))
    }

    @Test func unsupportedCommandsAreInvalid() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        for command: UInt8 in [0x03, 0x04, 0x3b, 0x55] {
            client.send(RawKeyClient.initPacket(channel: channel, command: command, length: 0))
            #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: channel, .invalidCommand))
        }
    }

    @Test func strayContinuationIsIgnored() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.send(RawKeyClient.continuationPacket(channel: channel, sequence: 0))
        client.sendMessage(channel: channel, command: 0x01, payload: [7])
        #expect(try client.receiveMessage(channel: channel).payload == [7])
    }

    @Test func interleavedMessageOnOtherChannelIsBusy() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let first = try client.allocateChannel()
        let second = try client.allocateChannel()
        client.send(RawKeyClient.initPacket(channel: first, command: 0x01, length: 60, data: [UInt8](repeating: 5, count: 57)))
        client.send(RawKeyClient.initPacket(channel: second, command: 0x01, length: 1, data: [1]))
        #expect(client.receive() == CTAPHIDFramer.errorPacket(channel: second, .channelBusy))
        client.send(RawKeyClient.continuationPacket(channel: first, sequence: 0, data: [5, 5, 5]))
        #expect(try client.receiveMessage(channel: first).payload == [UInt8](repeating: 5, count: 60))
    }

    @Test func incompleteMessageTimesOut() throws {
        var options = VirtualKeyServerOptions()
        options.messageTimeout = .milliseconds(200)
        let key = try TestKey(options: options)
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.send(RawKeyClient.initPacket(channel: channel, command: 0x01, length: 100, data: [UInt8](repeating: 1, count: 57)))
        #expect(client.receive(timeoutMs: 3000) == CTAPHIDFramer.errorPacket(channel: channel, .messageTimeout))
    }

    @Test func secondConnectionIsBusyWhileTouchIsPending() throws {
        let key = try TestKey { $0.touch = .wait }
        defer { key.stop() }
        let waiting = try key.client()
        let channel = try waiting.allocateChannel()
        waiting.sendMessage(channel: channel, command: 0x10, payload: [0x01] + CBOREncoder.encode(Requests.makeCredential()))
        #expect(try waitUntil { key.authenticator.isWaitingForTouch })

        let other = try key.client()
        let otherChannel = try other.allocateChannel()
        other.sendMessage(channel: otherChannel, command: 0x10, payload: [0x04])
        #expect(try other.receiveMessage(channel: otherChannel).payload == [CTAPHID.ErrorCode.channelBusy.rawValue])

        key.authenticator.touch()
        let reply = try waiting.receiveMessage(channel: channel)
        #expect(reply.payload.first == 0x00)
        #expect(reply.keepalives >= 1)
        // Free again.
        #expect(try other.ctap2(channel: otherChannel, 0x04).status == 0x00)
    }

    @Test func cancelAbortsTouchWait() throws {
        let key = try TestKey { $0.touch = .never }
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.sendMessage(channel: channel, command: 0x10, payload: [0x01] + CBOREncoder.encode(Requests.makeCredential()))
        let keepalive = try #require(client.receive())
        #expect(Array(keepalive[4...7]) == [0xbb, 0x00, 0x01, CTAPHID.KeepaliveStatus.userPresenceNeeded.rawValue])
        client.send(RawKeyClient.initPacket(channel: channel, command: 0x11, length: 0))
        let reply = try client.receiveMessage(channel: channel)
        #expect(reply.payload == [CTAP2Status.keepaliveCancel.rawValue])
    }

    @Test func closingTheConnectionCancelsItsRequestAndFreesTheKey() throws {
        let key = try TestKey { $0.touch = .never }
        defer { key.stop() }
        var leaving: RawKeyClient? = try key.client()
        let channel = try #require(try leaving?.allocateChannel())
        leaving?.sendMessage(channel: channel, command: 0x10, payload: [0x01] + CBOREncoder.encode(Requests.makeCredential()))
        #expect(try waitUntil { key.authenticator.isWaitingForTouch })
        leaving = nil
        #expect(try waitUntil { !key.authenticator.isWaitingForTouch })
        let next = try key.client()
        #expect(try ctap2RetryingBusy(next, next.allocateChannel(), 0x04, .map([:])) != nil)
    }

    @Test func initOnExistingChannelResynchronizes() throws {
        let key = try TestKey()
        defer { key.stop() }
        let client = try key.client()
        let channel = try client.allocateChannel()
        client.send(RawKeyClient.initPacket(channel: channel, command: 0x01, length: 100, data: [UInt8](repeating: 1, count: 57)))
        client.send(RawKeyClient.initPacket(channel: channel, command: 0x06, length: 8, data: [8, 7, 6, 5, 4, 3, 2, 1]))
        let reply = try #require(client.receive())
        #expect(Array(reply[0..<4]) == CTAPHIDFramer.channelBytes(channel))
        #expect(Array(reply[7..<19]) == [8, 7, 6, 5, 4, 3, 2, 1] + CTAPHIDFramer.channelBytes(channel))
        client.sendMessage(channel: channel, command: 0x01, payload: [4])
        #expect(try client.receiveMessage(channel: channel).payload == [4])
    }
}

/// Polls `condition` for up to five seconds.
func waitUntil(_ condition: () -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return false
}

@Suite struct ConcurrencyTests {
    /// Several connections hammer one key; each retries on ERR_CHANNEL_BUSY as platforms do.
    /// Every credential must be usable afterwards and the global counter must count every operation.
    @Test func parallelClientsShareOneAuthenticator() async throws {
        let key = try TestKey()
        defer { key.stop() }
        let path = key.socketPath
        let ids = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    let client = try RawKeyClient(path: path)
                    let channel = try client.allocateChannel()
                    var ids: [[UInt8]] = []
                    for round in 0..<5 {
                        let made = try ctap2RetryingBusy(client, channel, 0x01, Requests.makeCredential(alg: round % 2 == 0 ? -7 : -8, userID: [UInt8(worker)]))
                        ids.append(try Requests.credentialID(fromMakeCredential: made))
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(ids.count == 20 && Set(ids).count == 20)
        let client = try key.client()
        let channel = try client.allocateChannel()
        for id in ids {
            #expect(try client.ctap2(channel: channel, 0x02, Requests.getAssertion(allow: [id])).status == 0)
        }
        #expect(key.authenticator.signatureCounter == 40)
    }
}

/// A CTAP2 request that waits 10 ms and retries while the key answers ERR_CHANNEL_BUSY.
func ctap2RetryingBusy(_ client: RawKeyClient, _ channel: UInt32, _ command: UInt8, _ parameters: CBORValue) throws -> CBORValue? {
    for _ in 0..<1000 {
        client.sendMessage(channel: channel, command: 0x10, payload: [command] + CBOREncoder.encode(parameters))
        let reply = try client.receiveMessage(channel: channel)
        if reply.command == CTAPHID.Command.error.rawValue, reply.payload == [CTAPHID.ErrorCode.channelBusy.rawValue] {
            Thread.sleep(forTimeInterval: 0.01)
            continue
        }
        guard reply.command == 0x10, reply.payload.first == 0 else { throw TestFailure("unexpected reply \(reply)") }
        return try CBORDecoder.decode(Array(reply.payload.dropFirst()))
    }
    throw TestFailure("still busy after 1000 tries")
}
