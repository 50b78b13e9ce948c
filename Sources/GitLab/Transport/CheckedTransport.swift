import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Requests to an https GitLab server with TLS set up here rather than in async-http-client,
/// whose TLS (NIOSSL) also accepts a certificate with an IP address entry naming the socket's
/// peer: through a CONNECT proxy that peer is the proxy; directly, it is whatever address name
/// resolution gave. Here the certificate must name the host of the server URL
/// (`ServerIdentity`), checked after the handshake and before any request byte, so a proxy or a
/// redirected connection that terminates TLS never sees a token.
///
/// Used for every request through a proxy, and for every https request when the options ask
/// for it (`ciauth verify`). One connection per request (`Connection: close`), so each request
/// pays a handshake: simple to reason about, and verify makes only a handful.
struct CheckedTransport: Sendable {
    let server: GitLabServer
    /// Nil: straight to the server.
    let proxy: ProxySettings?
    let identity: ServerIdentity
    let tls: NIOSSLContext
    let connectTimeout: TimeAmount

    init(server: GitLabServer, proxy: ProxySettings?, tls configuration: TLSConfiguration, connectTimeout: TimeAmount)
        throws(GitLabError)
    {
        self.server = server
        self.proxy = proxy
        identity = ServerIdentity(host: server.host)
        var configuration = configuration
        // The chain is still verified by BoringSSL; the name is checked by `identity` instead.
        configuration.certificateVerification = .noHostnameVerification
        configuration.applicationProtocols = ["http/1.1"]
        do {
            tls = try NIOSSLContext(configuration: configuration)
        } catch {
            throw GitLabError(.tlsFailure, hint: "cannot set up TLS (trust roots or CA file unusable)")
        }
        self.connectTimeout = connectTimeout
    }

    /// `host:port` as CONNECT wants it (IPv6 in brackets).
    var authority: String { "\(bracketedHost):\(server.port ?? 443)" }

    /// The Host header: the port only when it is not https's default.
    var hostHeader: String {
        guard let port = server.port, port != 443 else { return bracketedHost }
        return "\(bracketedHost):\(port)"
    }

    private var bracketedHost: String { server.host.contains(":") ? "[\(server.host)]" : server.host }

    func send(
        method: HTTPMethod, url: String, headers: HTTPHeaders, body: [UInt8]?, timeout: TimeAmount, maxBodyBytes: Int
    ) async throws -> GitLabResponse {
        let deadline = NIODeadline.now() + timeout
        let channel = try await open(deadline: min(deadline, .now() + connectTimeout))
        do {
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: Self.originForm(url))
            head.headers = headers
            head.headers.replaceOrAdd(name: "Host", value: hostHeader)
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            if body != nil || (method != .GET && method != .HEAD) {
                head.headers.replaceOrAdd(name: "Content-Length", value: String(body?.count ?? 0))
            }
            return try await exchange(channel, head: head, body: body, deadline: deadline, maxBodyBytes: maxBodyBytes)
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    /// TCP (to the proxy, then CONNECT), TLS handshake; `exchange` checks the name before sending.
    private func open(deadline: NIODeadline) async throws -> Channel {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        guard let proxy else {
            let channel = try await ClientBootstrap(group: loop).connectTimeout(deadline - .now())
                .connect(host: server.host, port: server.port ?? 443).get()
            return try await closingOnFailure(channel) { try await startTLS(channel, deadline: deadline) }
        }
        let (target, authorization) = (authority, proxy.basicAuthorization)
        let connected = loop.makePromise(of: Void.self)
        // NIO traps on a promise never completed; completing a completed one does nothing.
        defer { connected.fail(TunnelFailure.proxyClosed) }
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(deadline - .now())
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectHandshakeHandler(target: target, authorization: authorization, done: connected))
                }
            }
            .connect(host: proxy.host, port: proxy.port)
            .get()
        return try await closingOnFailure(channel) {
            try await Self.waiting(for: connected.futureResult, on: channel, until: deadline, connecting: true)
            try await channel.eventLoop.submit {
                let pipeline = channel.pipeline.syncOperations
                pipeline.removeHandler(try pipeline.handler(type: ConnectHandshakeHandler.self), promise: nil)
            }.get()
            try await startTLS(channel, deadline: deadline)
        }
    }

    private func closingOnFailure(_ channel: Channel, _ body: () async throws -> Void) async throws -> Channel {
        do {
            try await body()
            return channel
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    private func startTLS(_ channel: Channel, deadline: NIODeadline) async throws {
        let handshake = channel.eventLoop.makePromise(of: Void.self)
        defer { handshake.fail(TunnelFailure.closed(requestSent: false)) }
        let (tls, serverName) = (self.tls, identity.serverNameIndication)
        try await channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverName))
            try pipeline.addHandler(HandshakeWaiter(done: handshake))
        }.get()
        try await Self.waiting(for: handshake.futureResult, on: channel, until: deadline, connecting: true)
    }

    /// Checks the certificate's name before the first request byte, then sends the request.
    private func exchange(
        _ channel: Channel, head: HTTPRequestHead, body: [UInt8]?, deadline: NIODeadline, maxBodyBytes: Int
    ) async throws -> GitLabResponse {
        let response = channel.eventLoop.makePromise(of: GitLabResponse.self)
        defer { response.fail(TunnelFailure.closed(requestSent: false)) }
        let identity = self.identity
        try await channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            guard let leaf = try pipeline.nioSSL_peerCertificate(), identity.isNamed(by: leaf) else {
                throw TunnelFailure.certificateNotForServer
            }
            pipeline.removeHandler(try pipeline.handler(type: HandshakeWaiter.self), promise: nil)
            try pipeline.addHTTPClientHandlers()
            try pipeline.addHandler(ResponseCollector(maxBodyBytes: maxBodyBytes, done: response))
        }.get()
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body, !body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        try await Self.waiting(for: response.futureResult, on: channel, until: deadline, connecting: false)
        return try await response.futureResult.get()
    }

    /// Waits for `future`, closing the channel and failing with a timeout at the deadline.
    private static func waiting<T: Sendable>(
        for future: EventLoopFuture<T>, on channel: Channel, until deadline: NIODeadline, connecting: Bool
    ) async throws {
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            _ = try await future.get()
        } catch {
            if NIODeadline.now() >= deadline { throw TunnelFailure.timedOut(connecting: connecting) }
            throw error
        }
    }

    /// `https://host/api/v4/x?y` → `/api/v4/x?y`.
    static func originForm(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
    }
}

/// Why a request over `CheckedTransport` got no answer; `TransportFailure` turns each into a `GitLabError`.
enum TunnelFailure: Error, Equatable {
    case proxyRefused(status: Int)
    case proxyAnswerInvalid
    case proxyClosed
    /// The TLS peer's certificate does not name the server URL's host.
    case certificateNotForServer
    case timedOut(connecting: Bool)
    case closed(requestSent: Bool)
    case responseTooLarge
}
