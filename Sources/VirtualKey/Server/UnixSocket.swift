import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, blocking POSIX wrappers for SOCK_STREAM Unix sockets.
enum UnixSocket {
    enum ReadResult: Equatable {
        case data([UInt8])
        case timeout
        case closed
    }

    /// Creates, binds and listens; replaces a stale socket file, refuses any other file.
    static func makeListener(path: String) throws(VirtualKeyError) -> Int32 {
        var address = try socketAddress(path)
        try removeStaleSocket(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { let code = errno; close(fd); throw .system(call: "bind", errno: code) }
        // Only the owner may talk to the key (or press its buttons through PATH.ctl).
        chmod(path, 0o600)
        guard listen(fd, 16) == 0 else { let code = errno; close(fd); throw .system(call: "listen", errno: code) }
        return fd
    }

    /// Client side, used by tests and tools talking to the key.
    static func connectClient(path: String) throws(VirtualKeyError) -> Int32 {
        var address = try socketAddress(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { let code = errno; close(fd); throw .system(call: "connect", errno: code) }
        return fd
    }

    /// Waits up to `timeoutMs` (-1 forever) for the fd to become readable.
    static func waitReadable(_ fd: Int32, timeoutMs: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&entry, 1, timeoutMs)
            if ready < 0, errno == EINTR { continue }
            return ready > 0
        }
    }

    /// One read of at most `count` bytes, waiting up to `timeoutMs`.
    static func readSome(_ fd: Int32, upTo count: Int, timeoutMs: Int32) -> ReadResult {
        guard waitReadable(fd, timeoutMs: timeoutMs) else { return .timeout }
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let n = read(fd, &buffer, count)
            if n < 0, errno == EINTR { continue }
            return n > 0 ? .data(Array(buffer[0..<n])) : .closed
        }
    }

    /// Writes everything or reports failure (peer gone); never raises SIGPIPE.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Next connection; nil once the listener is shut down or broken.
    static func acceptClient(_ fd: Int32) -> Int32? {
        while true {
            let client = accept(fd, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                return client
            }
            // A signal or a client that gave up before being accepted is no reason to stop.
            guard errno == EINTR || errno == ECONNABORTED else { return nil }
        }
    }

    private static func socketAddress(_ path: String) throws(VirtualKeyError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { throw .socketPathTooLong(path) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    /// A socket file nobody listens on is left over from a key that died; one that answers is
    /// another key's, and replacing it would cut that key off from its clients.
    private static func removeStaleSocket(_ path: String) throws(VirtualKeyError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .socketPathOccupied(path) }
        try refuseServedSocket(path)
        unlink(path)
    }

    /// Throws when something accepts connections at `path`.
    static func refuseServedSocket(_ path: String) throws(VirtualKeyError) {
        guard let live = try? connectClient(path: path) else { return }
        close(live)
        throw .socketInUse(path)
    }
}
