import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A request that got no HTTP answer, and whether the server may have acted on it anyway.
struct TransportFailure: Error {
    var error: GitLabError
    /// False only when the request certainly never reached the server (no connection).
    var maybeSent: Bool

    init(_ error: any Error, request: String, server: GitLabServer) {
        let host = server.hostKey
        switch error {
        case let error as HTTPClientError:
            (self.error, maybeSent) = Self.classify(error, request: request, host: host)
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            self.error = GitLabError(
                .tlsFailure, request: request,
                hint: "TLS with \(host) failed (certificate not trusted or handshake error); for a private CA pass --ca-file or set SSL_CERT_FILE")
            maybeSent = false
        case is NIOConnectionError, is ChannelError:
            self.error = GitLabError(
                .connectionFailed, request: request,
                hint: "cannot connect to \(host) (refused, unreachable or DNS failure); check the server URL and any proxy")
            maybeSent = false
        case let error as IOError where Self.connectErrnos.contains(error.errnoCode):
            self.error = GitLabError(
                .connectionFailed, request: request,
                hint: "cannot connect to \(host) (errno \(error.errnoCode): refused or unreachable); check the server URL and any proxy")
            maybeSent = false
        case let error as IOError:
            self.error = GitLabError(
                .connectionDropped, request: request,
                hint: "the connection to \(host) failed (errno \(error.errnoCode))")
            maybeSent = true
        default:
            self.error = GitLabError(
                .connectionDropped, request: request, hint: "the connection to \(host) failed unexpectedly")
            maybeSent = true
        }
    }

    /// errno values that only a connection attempt produces: nothing was sent.
    private static let connectErrnos: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL, EAFNOSUPPORT]

    private static func classify(
        _ error: HTTPClientError, request: String, host: String
    ) -> (GitLabError, Bool) {
        switch error {
        case .connectTimeout, .tlsHandshakeTimeout, .httpProxyHandshakeTimeout, .getConnectionFromPoolTimeout:
            return (GitLabError(.timeout, request: request, hint: "connecting to \(host) timed out"), false)
        case .deadlineExceeded, .readTimeout, .writeTimeout:
            return (GitLabError(.timeout, request: request, hint: "\(host) did not answer in time"), true)
        case .remoteConnectionClosed:
            return (GitLabError(.connectionDropped, request: request, hint: "\(host) closed the connection before answering"), true)
        case .proxyAuthenticationRequired, .invalidProxyResponse:
            return (GitLabError(.connectionFailed, request: request, hint: "the HTTPS proxy refused the connection"), false)
        case .alreadyShutdown, .cancelled:
            return (GitLabError(.shutDown, request: request, hint: "the client was shut down or the request cancelled"), false)
        default:
            return (GitLabError(.connectionDropped, request: request, hint: "HTTP failure talking to \(host): \(error.shortDescription)"), true)
        }
    }
}
