import Foundation
import Logging

/// Options of a running key beyond the authenticator itself.
public struct VirtualKeyServerOptions: Sendable {
    /// Break responses on purpose (nil: behave).
    public var fault: FaultInjection?
    /// How long a partly received message may wait for its next packet (ERR_MSG_TIMEOUT after).
    public var messageTimeout: Duration = .seconds(3)
    /// Also listen on `PATH.ctl` for `touch`, `deny`, `status`, `power-cycle`.
    public var controlSocket = true

    public init() {}
}

/// Serves a `VirtualAuthenticator` as CTAPHID over a Unix socket: one SOCK_STREAM connection
/// per opened device, exactly 64 bytes per report in each direction, no report-ID byte.
public final class VirtualKeyServer: @unchecked Sendable {
    public let socketPath: String
    public let authenticator: VirtualAuthenticator
    /// `socketPath + ".ctl"` when the control socket is enabled.
    public let controlSocketPath: String?

    private var listeners: [SocketListener] = []
    private let lock = NSLock()
    private var nextConnectionID = 0
    private var stopped = false

    private init(socketPath: String, authenticator: VirtualAuthenticator, controlSocketPath: String?) {
        self.socketPath = socketPath
        self.authenticator = authenticator
        self.controlSocketPath = controlSocketPath
    }

    /// Binds the socket(s) and serves until `stop()`. When it returns, clients can connect.
    public static func start(
        socketPath: String, authenticator: VirtualAuthenticator, options: VirtualKeyServerOptions = .init()
    ) throws(VirtualKeyError) -> VirtualKeyServer {
        let controlPath = options.controlSocket ? socketPath + ".ctl" : nil
        // Named by the path the user gave, before the control socket beside it is looked at.
        try UnixSocket.refuseServedSocket(socketPath)
        let server = VirtualKeyServer(socketPath: socketPath, authenticator: authenticator, controlSocketPath: controlPath)
        let environment = CTAPHIDConnection.Environment(
            authenticator: authenticator, channels: ChannelTable(), fault: options.fault,
            messageTimeout: options.messageTimeout, logger: authenticator.logger)
        if let controlPath {
            server.listeners.append(try SocketListener(path: controlPath) { fd in
                ControlChannel.serve(fd, authenticator: authenticator)
            })
        }
        do {
            server.listeners.append(try SocketListener(path: socketPath) { [server] fd in
                CTAPHIDConnection(id: server.makeConnectionID(), fd: fd, environment: environment).run()
            })
        } catch {
            server.stop()
            throw error
        }
        authenticator.logger.info("listening", metadata: ["socket": "\(socketPath)"])
        return server
    }

    /// Convenience: a fresh authenticator with `config`, served at `socketPath`.
    public static func start(
        socketPath: String, config: VirtualAuthenticatorConfiguration = .init(), options: VirtualKeyServerOptions = .init()
    ) throws(VirtualKeyError) -> VirtualKeyServer {
        try start(socketPath: socketPath, authenticator: VirtualAuthenticator(config: config), options: options)
    }

    /// Closes every connection, waits for them, and removes the socket files. Idempotent.
    public func stop() {
        let toStop = lock.withLock {
            defer { stopped = true; listeners = [] }
            return stopped ? [] : listeners
        }
        for listener in toStop.reversed() { listener.stop() }
    }

    private func makeConnectionID() -> Int {
        lock.withLock {
            nextConnectionID += 1
            return nextConnectionID
        }
    }

    deinit { stop() }
}
