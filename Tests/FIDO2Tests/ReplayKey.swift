#if canImport(Glibc)
import Glibc
#endif
import Foundation

@testable import FIDO2

/// A key at `unix:PATH` that answers each request with reports a real key once sent
/// (`CapturedWireData`), so ciauth's real transport, libfido2 and ciauth's parsers all run on
/// bytes nobody here produced.
///
/// It does only what any transport between libfido2 and a key must: it echoes the INIT nonce
/// libfido2 chose and puts the request's channel id into each report (the captures carry the ids
/// of the session that recorded them). The payloads go out byte for byte.
final class ReplayKey: @unchecked Sendable {
    /// One request as received: the CTAPHID command and, for CBOR, the CTAP2 command byte.
    struct Request: Equatable {
        let command: UInt8
        let ctapCommand: UInt8?
    }

    static let initCommand: UInt8 = 0x86
    static let cborCommand: UInt8 = 0x90
    static let cancelCommand: UInt8 = 0x91
    static let getInfo: UInt8 = 0x04
    static let makeCredential: UInt8 = 0x01
    static let getAssertion: UInt8 = 0x02

    let address: DeviceAddress
    private let directory: TemporaryDirectory
    private let listener: Int32
    private let lock = NSLock()
    private var connection: Int32 = -1
    private var stopped = false
    private var received: [Request] = []
    private let finished = DispatchSemaphore(value: 0)

    var requests: [Request] { lock.withLock { received } }

    init() throws {
        directory = try TemporaryDirectory()
        let path = directory.file("replay.sock")
        address = DeviceAddress(unixSocketPath: path)
        listener = try Self.listen(at: path)
        Thread.detachNewThread { [self] in serve() }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        lock.withLock {
            stopped = true
            if connection >= 0 { shutdown(connection, Int32(SHUT_RDWR)) }
        }
        finished.wait()
        close(listener)
        directory.remove()
    }

    private func serve() {
        defer { finished.signal() }
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return }
        let accepted = lock.withLock { () -> Bool in
            guard !stopped else { return false }
            connection = fd
            return true
        }
        guard accepted else {
            close(fd)
            return
        }
        // Closed under the lock and forgotten there: `stop()` must never shut down a number the
        // kernel has already handed to another socket of this process (a parallel test's HTTP or
        // key connection, which then fails as "connection closed" or FIDO_ERR_TX).
        defer {
            lock.withLock {
                close(fd)
                connection = -1
            }
        }
        while let (channel, command, payload) = readMessage(fd) {
            let ctapCommand = command == Self.cborCommand ? payload.first : nil
            lock.withLock { received.append(Request(command: command, ctapCommand: ctapCommand)) }
            for report in reply(to: command, ctapCommand: ctapCommand, payload: payload) {
                guard writeAll(fd, Array(channel) + report.dropFirst(4)) else { return }
            }
        }
    }

    /// The captured reports for a request, split into 64-byte reports.
    private func reply(to command: UInt8, ctapCommand: UInt8?, payload: [UInt8]) -> [[UInt8]] {
        switch (command, ctapCommand) {
        case (Self.initCommand, _):
            // Bytes 7..<15 of the INIT reply echo the request's nonce.
            var report = CapturedWireData.initReply
            report.replaceSubrange(7..<15, with: payload.prefix(8))
            return [report]
        case (Self.cborCommand, Self.getInfo?):
            return Self.reports(CapturedWireData.getInfoReply)
        case (Self.cborCommand, Self.makeCredential?):
            return Array(repeating: CapturedWireData.keepalive, count: 3)
                + Self.reports(CapturedWireData.makeCredentialReply)
        case (Self.cborCommand, Self.getAssertion?):
            return [CapturedWireData.keepalive] + Self.reports(CapturedWireData.getAssertionReply)
        case (Self.cancelCommand, _):
            return []
        case (Self.cborCommand, _):
            // CTAP2_ERR_INVALID_COMMAND: nothing was captured for it.
            return [[0, 0, 0, 0, Self.cborCommand, 0, 1, 0x01] + [UInt8](repeating: 0, count: 56)]
        default:
            // CTAPHID ERROR, ERR_INVALID_CMD.
            return [[0, 0, 0, 0, 0xbf, 0, 1, 0x01] + [UInt8](repeating: 0, count: 56)]
        }
    }

    private static func reports(_ bytes: [UInt8]) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: ReportChannel.reportSize).map {
            Array(bytes[$0..<($0 + ReportChannel.reportSize)])
        }
    }

    /// One CTAPHID message: the initialisation report, then continuation reports until the
    /// announced length is in.
    private func readMessage(_ fd: Int32) -> (ArraySlice<UInt8>, UInt8, [UInt8])? {
        guard let first = readReport(fd), first[4] & 0x80 != 0 else { return nil }
        let length = Int(first[5]) << 8 | Int(first[6])
        var payload = Array(first[7...])
        while payload.count < length {
            guard let next = readReport(fd) else { return nil }
            payload += next[5...]
        }
        return (first[0..<4], first[4], Array(payload.prefix(length)))
    }

    private func readReport(_ fd: Int32) -> [UInt8]? {
        var report = [UInt8](repeating: 0, count: ReportChannel.reportSize)
        var count = 0
        while count < report.count {
            let n = report.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            count += n
        }
        return report
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    private static func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, Glibc.listen(fd, 1) == 0 else {
            if fd >= 0 { close(fd) }
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        return fd
    }
}
