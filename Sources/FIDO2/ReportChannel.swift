#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One open connection carrying 64-byte CTAPHID reports: a hidraw node or a Unix stream socket.
///
/// ciauth does its own report I/O for both transports (installed into libfido2 with
/// `fido_dev_set_io_functions`) so that it can see KEEPALIVE frames: libfido2 1.12 skips them
/// without telling anyone, and they are the only reliable sign that a key is waiting for a touch.
final class ReportChannel: @unchecked Sendable {
    static let reportSize = 64
    private static let keepaliveCommand: UInt8 = 0xbb
    private static let statusUserPresenceNeeded: UInt8 = 0x02
    private static let errorCommand: UInt8 = 0xbf
    private static let errorChannelBusy: UInt8 = 0x06

    let address: DeviceAddress
    private let lock = NSLock()
    private let writeLock = NSLock()
    private var descriptor: Int32
    private var onUserPresenceNeeded: (@Sendable () -> Void)?
    /// The CTAPHID channel of the last report written: libfido2's own channel once INIT has
    /// allocated it. hidraw gives every reader of a node every report, so a KEEPALIVE counts only
    /// when it answers this channel, not another program's request.
    private var requestChannel: [UInt8] = []
    /// True once the key answered CTAPHID ERR_CHANNEL_BUSY: it is serving another client. libfido2
    /// then falls back to U2F, which would make a busy FIDO2 key look like a U2F-only one.
    private var sawChannelBusy = false
    var answeredChannelBusy: Bool { lock.withLock { sawChannelBusy } }
    /// Set to stop a U2F key's polling, which `fido_dev_cancel` cannot do (see `PendingOperation`).
    private var refuseNewRequests = false
    private var refuseFrom: ContinuousClock.Instant?
    private var refusedRequest = false
    /// True once a request was refused since `refuseRequests(false)`.
    var refusedARequest: Bool { lock.withLock { refusedRequest } }
    /// Bytes of a report a timed-out stream read had already received (device thread only).
    private var carry: [UInt8] = []

    init(address: DeviceAddress, descriptor: Int32) {
        self.address = address
        self.descriptor = descriptor
    }

    deinit { close() }

    /// Opens the transport named by `address`; errors name the cause and the fix.
    static func open(_ address: DeviceAddress) throws(FIDO2Error) -> ReportChannel {
        switch address.transport {
        case .hidraw(let path):
            return ReportChannel(address: address, descriptor: try openHidraw(path, address: address))
        case .unixSocket(let path):
            return ReportChannel(address: address, descriptor: try connectSocket(path, address: address))
        }
    }

    /// Called (on the device thread) when a KEEPALIVE says the key waits for user presence.
    func observeUserPresenceNeeded(_ handler: (@Sendable () -> Void)?) {
        lock.withLock { onUserPresenceNeeded = handler }
    }

    func close() {
        let fd = lock.withLock { () -> Int32 in
            let fd = descriptor
            descriptor = -1
            return fd
        }
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    private var currentDescriptor: Int32 { lock.withLock { descriptor } }

    /// libfido2's read hook: exactly one 64-byte report within `milliseconds` (-1 = no limit).
    func readReport(into buffer: UnsafeMutablePointer<UInt8>, count: Int, milliseconds: Int32) -> Int32 {
        let fd = currentDescriptor
        guard fd >= 0, count == Self.reportSize else { return -1 }
        let deadline = milliseconds < 0 ? nil : ContinuousClock.now + .milliseconds(Int(milliseconds))
        var received = carry.count
        if received > 0 { buffer.update(from: carry, count: received) }
        carry.removeAll()
        while received < count {
            guard waitReadable(fd, until: deadline) else {
                // A stream may split a report; keep the part so the next read stays in step.
                carry = Array(UnsafeBufferPointer(start: buffer, count: received))
                return -1
            }
            let n = Glibc.read(fd, buffer + received, count - received)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return -1 }
            received += n
            // A hidraw read returns one whole report; a stream may split it.
            if case .hidraw = address.transport, received != count { return -1 }
        }
        inspect(UnsafeBufferPointer(start: buffer, count: count))
        return Int32(count)
    }

    /// Makes the write hook fail on the first packet of every new request (until called with
    /// false): libfido2 then returns FIDO_ERR_TX with nothing left in flight, so the connection
    /// stays in step. Continuation packets of a message already started still go out.
    func refuseRequests(_ refuse: Bool) {
        lock.withLock {
            refuseNewRequests = refuse
            if !refuse {
                refusedRequest = false
                refuseFrom = nil
            }
        }
    }

    /// Refuses new requests from `deadline` on, checked by the write hook on the device thread
    /// itself, so the deadline holds even when no other thread gets to run in time.
    func refuseRequests(from deadline: ContinuousClock.Instant) {
        lock.withLock { refuseFrom = deadline }
    }

    /// libfido2's write hook: `bytes[0]` is the HID report ID (0), then one 64-byte report.
    func writeReport(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32 {
        guard count == Self.reportSize + 1, bytes[0] == 0 else { return -1 }
        let fd = currentDescriptor
        guard fd >= 0 else { return -1 }
        let channel = Array(UnsafeBufferPointer(start: bytes + 1, count: 4))
        let initPacket = bytes[5] & 0x80 != 0
        let refused = lock.withLock { () -> Bool in
            let pastDeadline = refuseFrom.map { ContinuousClock.now >= $0 } ?? false
            guard initPacket, refuseNewRequests || pastDeadline else { return false }
            refusedRequest = true
            return true
        }
        if refused { return -1 }
        lock.withLock { requestChannel = channel }
        let ok: Bool = writeLock.withLock {
            switch address.transport {
            case .hidraw: writeAll(fd, bytes, count: count)
            case .unixSocket: writeAll(fd, bytes + 1, count: count - 1)
            }
        }
        return ok ? Int32(count) : -1
    }

    private func inspect(_ report: UnsafeBufferPointer<UInt8>) {
        if report[4] == Self.errorCommand, report[5] == 0, report[6] >= 1, report[7] == Self.errorChannelBusy {
            lock.withLock { sawChannelBusy = true }
        }
        guard report[4] == Self.keepaliveCommand, report[5] == 0, report[6] >= 1,
            report[7] == Self.statusUserPresenceNeeded
        else { return }
        let handler = lock.withLock { requestChannel.elementsEqual(report[0..<4]) ? onUserPresenceNeeded : nil }
        handler?()
    }

    private func waitReadable(_ fd: Int32, until deadline: ContinuousClock.Instant?) -> Bool {
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return false }
                let (seconds, attoseconds) = left.components
                timeout = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            }
            var pollDescriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollDescriptor, 1, timeout)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return false }
            return pollDescriptor.revents & Int16(POLLIN) != 0
        }
    }

    private func writeAll(_ fd: Int32, _ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        var sent = 0
        while sent < count {
            let n: Int
            switch address.transport {
            case .hidraw: n = Glibc.write(fd, bytes + sent, count - sent)
            case .unixSocket: n = send(fd, bytes + sent, count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }
}

extension ReportChannel {
    /// How long to wait before each further `flock` attempt on a node another program holds:
    /// libfido2's schedule on Linux (`fido_hid_open`), 100 ms more each time over 20 retries,
    /// about 21 s in all, so a key briefly held by a browser or ssh-agent is waited for.
    static let lockRetryDelays: [Duration] = (1...20).map { .milliseconds(100 * $0) }

    static func openHidraw(
        _ path: String, address: DeviceAddress, lockRetryDelays: [Duration] = lockRetryDelays
    ) throws(FIDO2Error) -> Int32 {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw openError(errno: errno, address: address) }
        // Like libfido2: an exclusive lock keeps two programs from interleaving requests.
        var delays = lockRetryDelays[...]
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, let delay = delays.popFirst() else {
                _ = Glibc.close(fd)
                throw busyError(address, waited: lockRetryDelays.reduce(.zero, +))
            }
            if errno == EWOULDBLOCK { sleepBlocking(delay) }
        }
        return fd
    }

    private static func busyError(_ address: DeviceAddress, waited: Duration) -> FIDO2Error {
        FIDO2Error(
            .deviceBusy,
            "The security key \(address) is busy: another program (e.g. a browser or ssh) has held it for \(waited.components.seconds) s; finish or cancel that, then retry.",
            call: "flock", device: address.description)
    }

    /// The device thread blocks anyway while it opens the node.
    private static func sleepBlocking(_ delay: Duration) {
        let (seconds, attoseconds) = delay.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }

    private static func connectSocket(_ path: String, address: DeviceAddress) throws(FIDO2Error) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw openError(errno: errno, address: address) }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
        guard pathBytes.count < capacity else {
            _ = Glibc.close(fd)
            throw FIDO2Error(.invalidAddress, "The socket path of \(address) is too long.", device: address.description)
        }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let failure = errno
            _ = Glibc.close(fd)
            throw openError(errno: failure, address: address)
        }
        return fd
    }

    static func openError(errno code: Int32, address: DeviceAddress) -> FIDO2Error {
        let device = address.description
        switch code {
        case EACCES, EPERM:
            return FIDO2Error(.permissionDenied, PermissionAdvice.message(for: device), call: "open", device: device)
        case ENOENT, ECONNREFUSED, ENODEV, ENXIO:
            return FIDO2Error(
                .deviceNotFound, "No security key at \(device) (\(String(cString: strerror(code)))); is it plugged in?",
                call: "open", device: device)
        case EBUSY:
            return FIDO2Error(.deviceBusy, "The security key \(device) is busy.", call: "open", device: device)
        default:
            return FIDO2Error(
                .deviceIO, "Cannot open \(device): \(String(cString: strerror(code))).", call: "open", device: device)
        }
    }
}
