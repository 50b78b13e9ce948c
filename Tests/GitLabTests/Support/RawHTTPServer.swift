import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback server that answers with exactly the bytes a test scripts, at the pace it
/// scripts: what no well-behaved HTTP server (the simulator included) would send. Blocking
/// sockets on a thread of its own, one connection at a time; every request head it reads is
/// kept for the test to inspect.
final class RawHTTPServer: @unchecked Sendable {
    /// One step of an answer.
    enum Step: Sendable {
        case send([UInt8])
        case text(String)
        case pause(milliseconds: Int)
        /// `count` bytes of `byte`, in 64 KiB writes, stopping early when the client goes away.
        case stream(count: Int, byte: UInt8)
        /// One byte every `milliseconds`, `count` times, stopping early when the client goes away.
        case drip(count: Int, milliseconds: Int)
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var heads: [String] = []
    private var streamed = 0
    private let script: @Sendable (_ index: Int, _ head: String) -> [Step]

    /// Request heads received so far, in order.
    var requests: [String] { lock.withLock { heads } }
    /// Bytes of `stream` and `drip` steps the client accepted.
    var bytesStreamed: Int { lock.withLock { streamed } }
    var url: String { "http://127.0.0.1:\(port)" }

    /// - Parameter script: the answer to the `index`-th request (0-based) with head `head`.
    init(_ script: @escaping @Sendable (_ index: Int, _ head: String) -> [Step]) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting; a connection being answered ends with its script.
    func shutdown() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        var index = 0
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let number = index
            index += 1
            Thread { [self] in serve(connection, number) }.start()
        }
    }

    private func serve(_ connection: Int32, _ number: Int) {
        defer { close(connection) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.containsHeadEnd {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            received += buffer[0..<count]
        }
        let head = String(decoding: received, as: UTF8.self)
        lock.withLock { heads.append(head) }
        for step in script(number, head) {
            guard perform(step, on: connection) else { return }
        }
    }

    /// False when the client is gone.
    private func perform(_ step: Step, on connection: Int32) -> Bool {
        switch step {
        case .send(let bytes):
            return write(bytes, to: connection)
        case .text(let text):
            return write(Array(text.utf8), to: connection)
        case .pause(let milliseconds):
            usleep(useconds_t(milliseconds * 1000))
            return true
        case .stream(let count, let byte):
            let chunk = [UInt8](repeating: byte, count: 64 * 1024)
            var left = count
            while left > 0 {
                let size = min(left, chunk.count)
                guard write(Array(chunk[0..<size]), to: connection) else { return false }
                lock.withLock { streamed += size }
                left -= size
            }
            return true
        case .drip(let count, let milliseconds):
            for _ in 0..<count {
                guard write([UInt8(ascii: " ")], to: connection) else { return false }
                lock.withLock { streamed += 1 }
                usleep(useconds_t(milliseconds * 1000))
            }
            return true
        }
    }

    private func write(_ bytes: [UInt8], to connection: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}

extension [UInt8] {
    fileprivate var containsHeadEnd: Bool {
        let end: [UInt8] = [13, 10, 13, 10]
        guard count >= end.count else { return false }
        return (end.count...count).contains { (stop: Int) -> Bool in self[(stop - end.count)..<stop].elementsEqual(end) }
    }
}

/// A response head with the given status, headers and `Content-Length` (and `Connection: close`
/// unless the headers name another).
func rawHead(status: Int = 200, contentLength: Int?, headers: [String] = ["Content-Type: application/json"]) -> String {
    var lines = ["HTTP/1.1 \(status) X"] + headers
    if let contentLength { lines.append("Content-Length: \(contentLength)") }
    // The server answers one request per connection unless a test says otherwise.
    if !headers.contains(where: { $0.lowercased().hasPrefix("connection:") }) { lines.append("Connection: close") }
    return lines.joined(separator: "\r\n") + "\r\n\r\n"
}
