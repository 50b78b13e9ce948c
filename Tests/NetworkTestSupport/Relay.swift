import Foundation
import NIOCore
import NIOPosix

/// What a test server received, readable from the test while the server runs.
public final class TrafficLog: @unchecked Sendable {
    private let lock = NSLock()
    private var accepted = 0
    private var connectTargets: [String] = []
    private var bytes: [UInt8] = []

    public init() {}

    /// Connections accepted so far.
    public var connections: Int { lock.withLock { accepted } }
    /// The `host:port` of every CONNECT request, in order.
    public var targets: [String] { lock.withLock { connectTargets } }
    /// Every byte a client sent (for a TLS server: after decryption).
    public var received: [UInt8] { lock.withLock { bytes } }

    /// Whether `text` appears anywhere in what clients sent.
    public func sawText(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        let haystack = received
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    func connectionAccepted() { lock.withLock { accepted += 1 } }
    func connectRequested(_ target: String) { lock.withLock { connectTargets.append(target) } }
    func record(_ buffer: ByteBuffer) { lock.withLock { bytes += buffer.readableBytesView } }
}

/// Forwards every byte read on its channel to `peer`, and closes `peer` when its channel closes.
final class Relay: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let peer: Channel

    init(to peer: Channel) { self.peer = peer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Connects to `127.0.0.1:port` on `channel`'s event loop, relaying what arrives back to `channel`.
func connectUpstream(port: Int, for channel: Channel) -> EventLoopFuture<Channel> {
    ClientBootstrap(group: channel.eventLoop)
        .channelInitializer { upstream in
            upstream.eventLoop.makeCompletedFuture { try upstream.pipeline.syncOperations.addHandler(Relay(to: channel)) }
        }
        .connect(host: "127.0.0.1", port: port)
}

/// A listening test server on a loopback address.
public struct TestServer: Sendable {
    let channel: Channel
    public let host: String
    public let port: Int
    public let log: TrafficLog

    public func shutdown() async {
        try? await channel.close()
    }

    static func start(
        host: String, log: TrafficLog, _ initialize: @escaping @Sendable (Channel) throws -> Void
    ) async throws -> TestServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                log.connectionAccepted()
                return child.eventLoop.makeCompletedFuture { try initialize(child) }
            }
            .bind(host: host, port: 0)
            .get()
        guard let port = channel.localAddress?.port else { throw TestPKI.Failure(description: "no port bound") }
        return TestServer(channel: channel, host: host, port: port, log: log)
    }
}
