import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Accepts connections on a Unix socket and serves each on its own thread.
final class SocketListener: @unchecked Sendable {
    let path: String
    private let listenFD: Int32
    private let lock = NSLock()
    private var clients: Set<Int32> = []
    private var stopped = false
    private let threads = DispatchGroup()

    init(path: String, serve: @escaping @Sendable (Int32) -> Void) throws(VirtualKeyError) {
        self.path = path
        listenFD = try UnixSocket.makeListener(path: path)
        threads.enter()
        Thread.detachNewThread { [self] in
            acceptLoop(serve)
            threads.leave()
        }
    }

    private func acceptLoop(_ serve: @escaping @Sendable (Int32) -> Void) {
        while let client = UnixSocket.acceptClient(listenFD) {
            let accepted = lock.withLock {
                guard !stopped else { return false }
                clients.insert(client)
                return true
            }
            guard accepted else { close(client); break }
            threads.enter()
            Thread.detachNewThread { [self] in
                serve(client)
                // Close under the lock: stop() must never shut down a number the kernel has
                // already handed to somebody else's socket.
                lock.withLock {
                    clients.remove(client)
                    close(client)
                }
                threads.leave()
            }
        }
    }

    /// Wakes every blocked thread (shutdown), waits for them, removes the socket file.
    func stop() {
        lock.withLock {
            stopped = true
            for fd in clients { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        shutdown(listenFD, Int32(SHUT_RDWR))
        _ = threads.wait(timeout: .now() + 5)
        close(listenFD)
        unlink(path)
    }
}
