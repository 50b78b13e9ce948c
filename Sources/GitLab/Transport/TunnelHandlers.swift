import NIOCore
import NIOHTTP1
import NIOTLS

/// Sends `CONNECT host:port` as soon as the connection to the proxy is up and reads the proxy's
/// answer: a 2xx status ends the handshake, anything else fails it. Strict: the header must fit
/// in 8 KiB and nothing may follow it, since the next bytes must come from the GitLab server's TLS.
final class ConnectHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private static let maxHeaderBytes = 8192
    private let request: String
    private let done: EventLoopPromise<Void>
    private var received: [UInt8] = []

    init(target: String, authorization: String?, done: EventLoopPromise<Void>) {
        var lines = ["CONNECT \(target) HTTP/1.1", "Host: \(target)"]
        if let authorization { lines.append("Proxy-Authorization: \(authorization)") }
        request = lines.joined(separator: "\r\n") + "\r\n\r\n"
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readBytes(length: buffer.readableBytes) ?? []
        guard let end = Self.headerEnd(received) else {
            if received.count > Self.maxHeaderBytes { fail(context, .proxyAnswerInvalid) }
            return
        }
        guard end == received.count, let status = Self.status(received[..<end]) else {
            return fail(context, .proxyAnswerInvalid)
        }
        guard (200..<300).contains(status) else { return fail(context, .proxyRefused(status: status)) }
        done.succeed(())
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(TunnelFailure.proxyClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    private func fail(_ context: ChannelHandlerContext, _ failure: TunnelFailure) {
        done.fail(failure)
        context.close(promise: nil)
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index - 3...index].elementsEqual([13, 10, 13, 10]) {
            return index + 1
        }
        return nil
    }

    /// `HTTP/1.x NNN reason` → NNN.
    private static func status(_ header: ArraySlice<UInt8>) -> Int? {
        let line = header.prefix { $0 != 13 }
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].elementsEqual("HTTP/1.1".utf8) || parts[0].elementsEqual("HTTP/1.0".utf8),
            parts[1].count == 3, parts[1].allSatisfy({ (48...57).contains($0) })
        else { return nil }
        return Int(String(decoding: parts[1], as: UTF8.self))
    }
}

/// Completes when the TLS handshake does; fails with the handshake's error or an early close.
final class HandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) { self.done = done }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { done.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(TunnelFailure.closed(requestSent: false))
        context.fireChannelInactive()
    }
}

/// Collects one HTTP response, refusing bodies larger than the client's limit.
final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let maxBodyBytes: Int
    private let done: EventLoopPromise<GitLabResponse>
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    init(maxBodyBytes: Int, done: EventLoopPromise<GitLabResponse>) {
        self.maxBodyBytes = maxBodyBytes
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body(var buffer):
            guard body.count + buffer.readableBytes <= maxBodyBytes else {
                done.fail(TunnelFailure.responseTooLarge)
                context.close(promise: nil)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return done.fail(TunnelFailure.closed(requestSent: true)) }
            done.succeed(GitLabResponse(status: Int(head.status.code), headers: head.headers, body: body))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(TunnelFailure.closed(requestSent: true))
        context.fireChannelInactive()
    }
}
