import Foundation
import Testing
@testable import VirtualKey
#if canImport(Glibc)
import Glibc
#endif

/// A bare CTAPHID client for tests: raw 64-byte packets over the key's Unix socket.
final class RawKeyClient {
    let fd: Int32

    init(path: String) throws {
        fd = try UnixSocket.connectClient(path: path)
    }

    deinit { close(fd) }

    func send(_ packet: [UInt8]) {
        precondition(packet.count == 64)
        _ = UnixSocket.writeAll(fd, packet)
    }

    /// Next 64-byte packet, or nil after `timeoutMs` / when the key closed the connection.
    func receive(timeoutMs: Int32 = 5000) -> [UInt8]? {
        var packet: [UInt8] = []
        while packet.count < 64 {
            guard case .data(let bytes) = UnixSocket.readSome(fd, upTo: 64 - packet.count, timeoutMs: timeoutMs) else { return nil }
            packet += bytes
        }
        return packet
    }

    static func initPacket(channel: UInt32, command: UInt8, length: Int, data: [UInt8] = []) -> [UInt8] {
        let header = CTAPHIDFramer.channelBytes(channel) + [0x80 | command, UInt8(length >> 8), UInt8(length & 0xff)]
        return pad(header + data)
    }

    static func continuationPacket(channel: UInt32, sequence: UInt8, data: [UInt8] = []) -> [UInt8] {
        pad(CTAPHIDFramer.channelBytes(channel) + [sequence] + data)
    }

    static func pad(_ bytes: [UInt8]) -> [UInt8] {
        Array((bytes + [UInt8](repeating: 0, count: 64)).prefix(64))
    }

    /// CTAPHID_INIT on the broadcast channel; returns the allocated channel.
    func allocateChannel() throws -> UInt32 {
        let nonce: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        send(Self.initPacket(channel: CTAPHID.broadcastChannel, command: 0x06, length: 8, data: nonce))
        let reply = try #require(receive())
        guard Array(reply[0..<7]) == [0xff, 0xff, 0xff, 0xff, 0x86, 0, 17], Array(reply[7..<15]) == nonce else {
            throw TestFailure("bad INIT reply \(reply)")
        }
        return reply[15..<19].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// Sends a whole message, fragmenting it.
    func sendMessage(channel: UInt32, command: UInt8, payload: [UInt8]) {
        for packet in CTAPHIDFramer.packets(channel: channel, command: command, payload: payload) {
            send(packet)
        }
    }

    /// Reassembles the next response, skipping keepalives; returns (command, payload, keepalives).
    func receiveMessage(channel: UInt32, timeoutMs: Int32 = 5000) throws -> (command: UInt8, payload: [UInt8], keepalives: Int) {
        var keepalives = 0
        while true {
            let first = try #require(receive(timeoutMs: timeoutMs))
            let frame = CTAPHIDFrame(packet: first)
            guard case .initial(let replyChannel, let command, let length, let data) = frame, replyChannel == channel else {
                throw TestFailure("unexpected packet \(first)")
            }
            if command == CTAPHID.Command.keepalive.rawValue { keepalives += 1; continue }
            var payload = Array(data.prefix(length))
            var sequence: UInt8 = 0
            while payload.count < length {
                let next = try #require(receive(timeoutMs: timeoutMs))
                guard case .continuation(channel, sequence, let more) = CTAPHIDFrame(packet: next) else {
                    throw TestFailure("bad continuation \(next)")
                }
                payload += more.prefix(length - payload.count)
                sequence += 1
            }
            return (command, payload, keepalives)
        }
    }

    /// A CTAP2 request: returns the status byte and decoded CBOR body (nil if empty).
    func ctap2(channel: UInt32, _ command: UInt8, _ parameters: CBORValue? = nil, timeoutMs: Int32 = 5000) throws -> (status: UInt8, body: CBORValue?, keepalives: Int) {
        sendMessage(channel: channel, command: 0x10, payload: [command] + (parameters.map(CBOREncoder.encode) ?? []))
        let reply = try receiveMessage(channel: channel, timeoutMs: timeoutMs)
        guard reply.command == 0x10, let status = reply.payload.first else { throw TestFailure("not a CBOR reply: \(reply)") }
        let body = reply.payload.count > 1 ? try CBORDecoder.decode(Array(reply.payload.dropFirst())) : nil
        return (status, body, reply.keepalives)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
