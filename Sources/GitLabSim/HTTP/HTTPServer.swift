import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// What the server does with a request once it has been handled (or faulted).
enum Outcome: Sendable {
    case respond(SimResponse)
    /// Close the connection without a response.
    case drop
    /// Send headers announcing the full body, then only the first `bytes`, then close.
    case truncate(SimResponse, bytes: Int)
}

/// A minimal HTTP/1.1 server on NIO: reads whole requests, asks `respond` for an outcome,
/// writes it. Request bodies above `maxBodyBytes(for:)` get 413.
struct HTTPServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    static let maxBodyBytes = 1 << 20
    /// Package uploads are files (release tarballs); GitLab's default limit is 5 GB, the
    /// simulator keeps them in memory and stops at 512 MiB.
    static let maxPackageBodyBytes = 512 << 20

    static func maxBodyBytes(for head: HTTPRequestHead) -> Int {
        head.method == .PUT && head.uri.contains("/packages/generic/") ? maxPackageBodyBytes : maxBodyBytes
    }

    let respond: @Sendable (SimRequest) async -> Outcome
    let logger: Logger

    /// Binds and returns the listening channel; `serve` must then be run on it.
    static func bind(host: String, port: Int, group: EventLoopGroup) async throws -> NIOAsyncChannel<Connection, Never> {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    func serve(_ listener: NIOAsyncChannel<Connection, Never>) async {
        do {
            try await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await handle(connection) }
                    }
                }
            }
        } catch {
            logger.debug("listener ended", metadata: ["error": "\(error)"])
        }
    }

    private func handle(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body.clear()
                        tooLarge = false
                    case .body(var chunk):
                        let limit = head.map(HTTPServer.maxBodyBytes(for:)) ?? HTTPServer.maxBodyBytes
                        if body.readableBytes + chunk.readableBytes > limit {
                            tooLarge = true
                        } else {
                            body.writeBuffer(&chunk)
                        }
                    case .end:
                        guard let requestHead = head else { return }
                        let outcome: Outcome = tooLarge
                            ? .respond(APIError.message(413, "413 Request Entity Too Large").response)
                            : await respond(request(requestHead, body: body))
                        let keepOpen = try await write(
                            outcome, keepAlive: requestHead.isKeepAlive, head: requestHead.method == .HEAD, to: outbound
                        )
                        if !keepOpen { return }
                    }
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func request(_ head: HTTPRequestHead, body: ByteBuffer) -> SimRequest {
        SimRequest(
            method: head.method.rawValue, uri: head.uri,
            headers: head.headers.map { ($0.name, $0.value) },
            body: Data(body.readableBytesView)
        )
    }

    /// Writes the outcome; returns whether the connection stays open.
    private func write(
        _ outcome: Outcome, keepAlive: Bool, head: Bool, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws -> Bool {
        switch outcome {
        case .drop:
            return false
        case .respond(let response):
            // A HEAD response announces the GET body's length but carries none.
            try await writeResponse(response, bodyBytes: head ? 0 : response.body.count, complete: true, keepAlive: keepAlive, to: outbound)
            return keepAlive
        case .truncate(let response, let bytes):
            let sent = min(bytes, response.body.count)
            try await writeResponse(response, bodyBytes: sent, complete: sent == response.body.count, keepAlive: false, to: outbound)
            return false
        }
    }

    /// Head with the full `Content-Length`, then `bodyBytes` of the body, then the end of the
    /// message only when `complete` (an incomplete message is cut off by closing).
    private func writeResponse(
        _ response: SimResponse, bodyBytes: Int, complete: Bool, keepAlive: Bool,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        if bodyBytes > 0 {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body.prefix(bodyBytes)))))
        }
        if complete { try await outbound.write(.end(nil)) }
    }
}
