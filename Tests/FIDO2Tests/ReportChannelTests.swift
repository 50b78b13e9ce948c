import Foundation
import Testing

@testable import FIDO2

/// The report I/O libfido2 calls, over a socketpair standing in for the key's socket.
@Suite struct ReportChannelTests {
    final class Pair {
        let channel: ReportChannel
        let peer: Int32

        init() throws {
            var fds: [Int32] = [0, 0]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
                throw FIDO2Error(.internalError, "socketpair failed")
            }
            channel = ReportChannel(address: DeviceAddress(unixSocketPath: "/pair"), descriptor: fds[0])
            peer = fds[1]
        }

        deinit {
            channel.close()
            close(peer)
        }

        func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { write(peer, $0.baseAddress, $0.count) } }

        func receive(_ count: Int) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            let n = bytes.withUnsafeMutableBytes { read(peer, $0.baseAddress, count) }
            return Array(bytes.prefix(max(n, 0)))
        }

        func readReport(milliseconds: Int32) -> (Int32, [UInt8]) {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = buffer.withUnsafeMutableBufferPointer {
                channel.readReport(into: $0.baseAddress!, count: 64, milliseconds: milliseconds)
            }
            return (n, buffer)
        }
    }

    static let report: [UInt8] = (0..<64).map { UInt8($0) }

    @Test func writeStripsTheReportIDByte() throws {
        let pair = try Pair()
        let written = ([0x00] + Self.report).withUnsafeBufferPointer { pair.channel.writeReport($0.baseAddress!, count: 65) }
        #expect(written == 65)
        #expect(pair.receive(128) == Self.report)
    }

    @Test func writeRefusesOtherShapes() throws {
        let pair = try Pair()
        #expect(([0x01] + Self.report).withUnsafeBufferPointer { pair.channel.writeReport($0.baseAddress!, count: 65) } == -1)
        #expect(Self.report.withUnsafeBufferPointer { pair.channel.writeReport($0.baseAddress!, count: 64) } == -1)
    }

    @Test func readReassemblesASplitReportAcrossATimeout() throws {
        let pair = try Pair()
        pair.send(Array(Self.report[..<30]))
        #expect(pair.readReport(milliseconds: 50).0 == -1)
        pair.send(Array(Self.report[30...]))
        let (n, bytes) = pair.readReport(milliseconds: 1000)
        #expect(n == 64)
        #expect(bytes == Self.report)
    }

    @Test func readFailsOnEndOfStreamAndWrongLength() throws {
        let pair = try Pair()
        var buffer = [UInt8](repeating: 0, count: 65)
        #expect(buffer.withUnsafeMutableBufferPointer { pair.channel.readReport(into: $0.baseAddress!, count: 65, milliseconds: 10) } == -1)
        shutdown(pair.peer, Int32(SHUT_WR))
        #expect(pair.readReport(milliseconds: 1000).0 == -1)
    }

    /// Writes a CBOR request's init packet on `channel`, as libfido2 does once INIT allocated it.
    static func request(on channel: [UInt8], through pair: Pair) {
        var packet = [UInt8](repeating: 0, count: 65)
        packet[1...7] = [channel[0], channel[1], channel[2], channel[3], 0x90, 0x00, 0x01]
        packet[8] = 0x04  // authenticatorGetInfo
        _ = packet.withUnsafeBufferPointer { pair.channel.writeReport($0.baseAddress!, count: 65) }
        _ = pair.receive(64)
    }

    @Test func keepaliveWithUserPresenceNeededIsReported() throws {
        let pair = try Pair()
        let seen = EventLog()
        pair.channel.observeUserPresenceNeeded { seen.handler(.selected(device: DeviceAddress(unixSocketPath: "/k"))) }
        Self.request(on: [0x00, 0x22, 0x00, 0x02], through: pair)
        var keepalive = [UInt8](repeating: 0, count: 64)
        keepalive[0..<8] = [0x00, 0x22, 0x00, 0x02, 0xbb, 0x00, 0x01, 0x01]  // status PROCESSING
        pair.send(keepalive)
        #expect(pair.readReport(milliseconds: 1000).0 == 64)
        #expect(seen.all.isEmpty)
        keepalive[7] = 0x02  // UPNEEDED
        pair.send(keepalive)
        #expect(pair.readReport(milliseconds: 1000).0 == 64)
        #expect(seen.all.count == 1)
    }

    /// hidraw hands every report to every reader of the node: another program's request waiting
    /// for a touch on its own channel is not ours, and must not make ciauth ask for a touch.
    @Test func keepaliveOnAnotherChannelIsNotOurs() throws {
        let pair = try Pair()
        let seen = EventLog()
        pair.channel.observeUserPresenceNeeded { seen.handler(.selected(device: DeviceAddress(unixSocketPath: "/k"))) }
        Self.request(on: [0x00, 0x22, 0x00, 0x02], through: pair)
        var keepalive = [UInt8](repeating: 0, count: 64)
        keepalive[0..<8] = [0x00, 0x22, 0x00, 0x03, 0xbb, 0x00, 0x01, 0x02]  // UPNEEDED, another channel
        pair.send(keepalive)
        #expect(pair.readReport(milliseconds: 1000).0 == 64)
        #expect(seen.all.isEmpty)
        keepalive[3] = 0x02  // the channel of our request
        pair.send(keepalive)
        #expect(pair.readReport(milliseconds: 1000).0 == 64)
        #expect(seen.all.count == 1)
    }
}
