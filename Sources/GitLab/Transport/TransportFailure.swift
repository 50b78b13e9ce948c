import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request that got no HTTP answer, and whether the server may have acted on it anyway.
struct TransportFailure: Error {
    var error: GitLabError
    /// False only when the request certainly never reached the server (no connection).
    var maybeSent: Bool

    /// - Parameter caFileHint: how this command takes a private CA (`--ca-file`, perhaps
    ///   `SSL_CERT_FILE`), for the hint of a TLS failure.
    init(_ error: any Error, request: String, server: GitLabServer, caFileHint: String) {
        let host = server.hostKey
        switch error {
        case let error as HTTPClientError:
            (self.error, maybeSent) = Self.classify(error, request: request, host: host)
        case is NIOTooManyBytesError:
            self.error = Self.tooLarge(request: request, host: host)
            maybeSent = true
        case let error as HTTPParserError where error == .invalidEOFState:
            self.error = GitLabError(
                .connectionDropped, request: request, hint: "\(host) closed the connection before its answer was complete")
            maybeSent = true
        case let error as HTTPParserError:
            // Not HTTP as a server sends it (a header without end, a broken status line): asking
            // again gets the same.
            self.error = GitLabError(
                .malformedResponse, request: request, hint: "the answer from \(host) is not valid HTTP (\(error))")
            maybeSent = true
        case let error as TunnelFailure:
            (self.error, maybeSent) = Self.classify(error, request: request, host: host)
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            self.error = GitLabError(
                .tlsFailure, request: request,
                hint: "TLS with \(host) failed (certificate not trusted or handshake error); for a private CA \(caFileHint)")
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

    /// No answer of GitLab's is this large (`GitLabClientOptions.maxResponseBytes`): reading
    /// stopped at the limit, so nothing that large is ever held in memory.
    private static func tooLarge(request: String, host: String) -> GitLabError {
        GitLabError(
            .malformedResponse, request: request,
            hint: "the answer from \(host) is larger than ciauth accepts from GitLab; reading it stopped there")
    }

    /// errno values that only a connection attempt produces: nothing was sent.
    private static let connectErrnos: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL, EAFNOSUPPORT]

    private static func classify(
        _ failure: TunnelFailure, request: String, host: String
    ) -> (GitLabError, Bool) {
        switch failure {
        case .proxyRefused(let status):
            return (GitLabError(.connectionFailed, request: request, hint: "the HTTPS proxy refused the tunnel to \(host) (HTTP \(status))"), false)
        case .proxyAnswerInvalid, .proxyClosed:
            return (GitLabError(.connectionFailed, request: request, hint: "the HTTPS proxy did not open a tunnel to \(host)"), false)
        case .certificateNotForServer:
            return (GitLabError(
                .tlsFailure, request: request,
                hint: "the TLS certificate presented for \(host) is not valid for that host (a proxy or another machine intercepts the connection); nothing was sent"), false)
        case .timedOut(connecting: true):
            return (GitLabError(.timeout, request: request, hint: "connecting to \(host) through the proxy timed out"), false)
        case .timedOut(connecting: false):
            return (GitLabError(.timeout, request: request, hint: "\(host) did not answer in time"), true)
        case .closed(let requestSent):
            return (GitLabError(.connectionDropped, request: request, hint: "\(host) closed the connection before answering"), requestSent)
        case .responseTooLarge:
            return (tooLarge(request: request, host: host), true)
        }
    }

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
