import NIOCore
import NIOPosix
import NIOSSL

/// An HTTP CONNECT proxy for tests: it answers every CONNECT with 200 and joins the client to
/// `127.0.0.1:upstreamPort`, whatever host the client named. In front of a `TLSServer` with the
/// GitLab host's certificate it is an honest tunnel; in front of one with a certificate for the
/// proxy's own address, an intercepting proxy. Its log records the CONNECT targets and every
/// byte the client sent through it.
public enum ConnectProxy {
    public static func start(host: String = "127.0.0.2", upstreamPort: Int) async throws -> TestServer {
        let log = TrafficLog()
        return try await TestServer.start(host: host, log: log) { child in
            try child.pipeline.syncOperations.addHandler(ConnectFront(upstreamPort: upstreamPort, log: log))
        }
    }
}

/// A TLS server for tests that terminates TLS with `leaf` and relays the decrypted bytes to the
/// plain-HTTP server at `127.0.0.1:upstreamPort` (gitlab-sim). Its log records every decrypted
/// byte a client sent: a client that refuses the certificate must leave it empty.
public enum TLSServer {
    public static func start(host: String = "127.0.0.1", leaf: TestPKI.Leaf, upstreamPort: Int) async throws -> TestServer {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(leaf.certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: leaf.keyFile, format: .pem)))
        let context = try NIOSSLContext(configuration: configuration)
        let log = TrafficLog()
        return try await TestServer.start(host: host, log: log) { child in
            try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
            try child.pipeline.syncOperations.addHandler(UpstreamFront(upstreamPort: upstreamPort, log: log))
        }
    }
}

/// Reads the CONNECT request, then relays both ways. Confined to its channel's event loop.
final class ConnectFront: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let upstreamPort: Int
    private let log: TrafficLog
    private var header: [UInt8] = []
    private var upstream: UpstreamState = .none

    init(upstreamPort: Int, log: TrafficLog) {
        self.upstreamPort = upstreamPort
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        log.record(buffer)
        switch upstream {
        case .open(let peer):
            peer.writeAndFlush(buffer, promise: nil)
        case .opening:
            upstream.queue(buffer)
        case .none:
            header += buffer.readableBytesView
            guard let end = Self.headerEnd(header) else { return }
            let requestLine = String(decoding: header.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
            guard requestLine.count == 3, requestLine[0] == "CONNECT" else {
                context.close(promise: nil)
                return
            }
            log.connectRequested(String(requestLine[1]))
            let rest = ByteBuffer(bytes: header[end...])
            upstream = .opening([])
            if rest.readableBytes > 0 { upstream.queue(rest) }
            open(context.channel)
        }
    }

    private func open(_ client: Channel) {
        connectUpstream(port: upstreamPort, for: client).whenComplete { result in
            client.eventLoop.execute {
                switch result {
                case .success(let peer):
                    client.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n\r\n"), promise: nil)
                    for buffer in self.upstream.queued { peer.writeAndFlush(buffer, promise: nil) }
                    self.upstream = .open(peer)
                    client.closeFuture.whenComplete { _ in peer.close(promise: nil) }
                case .failure:
                    client.close(promise: nil)
                }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .open(let peer) = upstream { peer.close(promise: nil) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index - 3...index].elementsEqual([13, 10, 13, 10]) {
            return index + 1
        }
        return nil
    }
}

/// Relays decrypted bytes to the upstream server as soon as it is connected.
final class UpstreamFront: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private let upstreamPort: Int
    private let log: TrafficLog
    private var upstream: UpstreamState = .none

    init(upstreamPort: Int, log: TrafficLog) {
        self.upstreamPort = upstreamPort
        self.log = log
    }

    func channelActive(context: ChannelHandlerContext) {
        let client = context.channel
        upstream = .opening([])
        connectUpstream(port: upstreamPort, for: client).whenComplete { result in
            client.eventLoop.execute {
                switch result {
                case .success(let peer):
                    for buffer in self.upstream.queued { peer.writeAndFlush(buffer, promise: nil) }
                    self.upstream = .open(peer)
                    client.closeFuture.whenComplete { _ in peer.close(promise: nil) }
                case .failure:
                    client.close(promise: nil)
                }
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        log.record(buffer)
        switch upstream {
        case .open(let peer): peer.writeAndFlush(buffer, promise: nil)
        case .opening, .none: upstream.queue(buffer)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

enum UpstreamState {
    case none
    case opening([ByteBuffer])
    case open(Channel)

    var queued: [ByteBuffer] {
        if case .opening(let buffers) = self { return buffers }
        return []
    }

    mutating func queue(_ buffer: ByteBuffer) {
        switch self {
        case .none: self = .opening([buffer])
        case .opening(let buffers): self = .opening(buffers + [buffer])
        case .open: break
        }
    }
}

/// A proxy that answers the first bytes of every connection with `answer` and then only listens:
/// for the client's handling of refusals and malformed CONNECT answers.
public enum CannedProxy {
    public static func start(host: String = "127.0.0.2", answer: String) async throws -> TestServer {
        let log = TrafficLog()
        return try await TestServer.start(host: host, log: log) { child in
            try child.pipeline.syncOperations.addHandler(CannedAnswer(answer: answer, log: log))
        }
    }
}

final class CannedAnswer: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let answer: String
    let log: TrafficLog

    init(answer: String, log: TrafficLog) {
        self.answer = answer
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let first = log.received.isEmpty
        log.record(buffer)
        if first { context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer)), promise: nil) }
    }
}
