import AsyncHTTPClient
import Logging
import NIOCore
import NIOSSL

/// A typed client for GitLab's REST API (`/api/v4`).
///
/// One instance owns one pooled `HTTPClient`: create it once, reuse it for every request, and
/// call `shutdown()` when done. TLS verification is always on; redirects are never followed.
/// Through a proxy (and for every https request when `checksServerIdentity` is set), requests go
/// over `CheckedTransport`, whose TLS checks the server URL's host.
public final class GitLabClient: Sendable {
    public let server: GitLabServer
    let credentials: GitLabCredentials
    let options: GitLabClientOptions
    let logger: Logger
    let http: HTTPClient
    /// Set when a proxy applies to the server or the options ask for the checked transport:
    /// then every request goes through it.
    let checked: CheckedTransport?

    /// - Parameter logger: receives one debug line per request (method, path, status, timing)
    ///   with secrets redacted; quiet unless its level is `.debug` or lower.
    public init(
        server: GitLabServer, credentials: GitLabCredentials, options: GitLabClientOptions = GitLabClientOptions(),
        logger: Logger = Logger(label: "ciauth.gitlab", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(GitLabError) {
        guard options.perPage >= 1, options.perPage <= 100, options.maxPages >= 1 else {
            throw GitLabError(.invalidArgument, hint: "per-page must be 1…100 and the page cap at least 1")
        }
        self.server = server
        self.credentials = credentials
        self.options = options
        self.logger = logger
        let tls = try Self.tlsConfiguration(options)
        let proxy = options.proxy.flatMap { $0.applies(to: server) ? $0 : nil }
        if server.scheme == "https", proxy != nil || options.checksServerIdentity {
            checked = try CheckedTransport(server: server, proxy: proxy, tls: tls, connectTimeout: options.connectTimeout.timeAmount)
        } else {
            checked = nil
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.httpConfiguration(tls: tls, options: options))
    }

    /// Whether the client holds a user's token (personal, project, group or OAuth), which reads
    /// users and keys where GitLab refuses anonymous visitors. A job token does not count: GitLab
    /// ignores it on the Users API.
    public var hasUserToken: Bool {
        switch credentials {
        case .accessToken, .oauth: true
        case .anonymous, .jobToken: false
        }
    }

    /// Closes pooled connections. The client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    private static func tlsConfiguration(_ options: GitLabClientOptions) throws(GitLabError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile = options.caFile {
            tls.additionalTrustRoots = [.certificates(try loadCertificates(caFile))]
        }
        return tls
    }

    /// Direct connections only: async-http-client is never given the proxy (see `CheckedTransport`).
    private static func httpConfiguration(tls: TLSConfiguration, options: GitLabClientOptions) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: options.connectTimeout.timeAmount, read: options.requestTimeout.timeAmount),
            proxy: nil,
            decompression: .disabled)
        // Our own retry loop decides; a refused connection should fail fast.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    private static func loadCertificates(_ path: String) throws(GitLabError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw GitLabError(.invalidCAFile, hint: "cannot read PEM certificates from the CA file \(path)")
        }
        guard !certificates.isEmpty else {
            throw GitLabError(.invalidCAFile, hint: "the CA file \(path) contains no PEM certificate")
        }
        return certificates
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
